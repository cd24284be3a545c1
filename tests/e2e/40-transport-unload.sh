#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Unloading the transport while its disk is bound, with the disk's
# filesystem made, used and unmounted: rmmod must finish promptly and take
# the disk away; loaded again, the transport finds the same disk, whose
# filesystem is clean and holds the same files.
#
# e2e-timeout: 240
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-unload.img
mnt=/mnt/virtio-argo
sums=/tmp/unload-sums
dd if=/dev/zero of="$img" bs=1M count=32 2>/dev/null

if ! va_backend_load "blk:port=0x10000,file=$img" || ! modprobe virtio_blk ||
   ! modprobe virtio_argo || ! va_wait_block vda 30; then
	echo "not ok - disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk appears"

mkdir -p "$mnt"
va_check "mkfs.ext4 and mount" sh -c "mkfs.ext4 -q -F /dev/vda && mount -t ext4 /dev/vda $mnt"
i=1
while [ "$i" -le 8 ]; do
	dd if=/dev/urandom of="$mnt/f$i" bs=4k count=$((i * 16)) 2>/dev/null
	i=$((i + 1))
done
(cd "$mnt" && sha256sum f*) >"$sums"
va_check "umount" umount "$mnt"

t0=$(va_uptime)
va_check "transport unloads with the disk bound" timeout 60 rmmod virtio_argo
t1=$(va_uptime)
echo "unload: rmmod virtio_argo took $((t1 - t0)) s"
va_check "disk is gone" [ ! -e /sys/block/vda ]

if ! modprobe virtio_argo || ! vd=$(va_wait_vd 30); then
	echo "not ok - disk comes back # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk comes back ($vd)"
va_check "fsck -n is clean" e2fsck -fn "/dev/$vd"
va_check "mount again" mount -t ext4 "/dev/$vd" "$mnt"
va_check "every file reads back with its checksum" \
	sh -c "cd $mnt && sha256sum -c -s $sums"
va_check "umount again" umount "$mnt"
va_check "transport unloads again" timeout 60 rmmod virtio_argo
va_check "device side unloads" rmmod virtio_argo_backend
rm -f "$img" "$sums"
