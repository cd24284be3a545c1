#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-blk over virtio-argo on real Xen: the device side serves a file,
# the transport finds the disk in the test bed's ACPI table (ARGO0001, port
# 0x10000), and the unmodified virtio_blk driver does real I/O on it: a
# filesystem, files with checksums, fsck, and the raw backing file compared
# with what the guest wrote.
#
# e2e-timeout: 300
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-disk.img
sums=/tmp/virtio-argo-sums
mnt=/mnt/virtio-argo
dd if=/dev/zero of="$img" bs=1M count=64 2>/dev/null

if ! va_backend_load "blk:port=0x10000,file=$img"; then
	echo "not ok - device side loads # $(dmesg | tail -n 1)"
	exit 1
fi
echo "ok - device side loads"
modprobe virtio_blk
if ! modprobe virtio_argo; then
	echo "not ok - transport loads # $(dmesg | tail -n 1)"
	exit 1
fi
echo "ok - transport loads"

if ! va_wait_block vda 30; then
	echo "not ok - virtio-blk disk appears # $(dmesg | grep -i argo | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - virtio-blk disk appears"
size=$(blockdev --getsize64 /dev/vda)
va_check "disk size is the backing file's (64 MiB, got $size)" [ "$size" = 67108864 ]

va_check "mkfs.ext4" mkfs.ext4 -q -F /dev/vda
mkdir -p "$mnt"
va_check "mount" mount -t ext4 /dev/vda "$mnt"
mkdir -p "$mnt/tree/a/b"
i=1
while [ "$i" -le 24 ]; do
	dd if=/dev/urandom of="$mnt/tree/a/b/f$i" bs=1k count=$((i * 41)) 2>/dev/null
	dd if=/dev/urandom of="$mnt/tree/g$i" bs=512 count=$((i * 3 + 1)) 2>/dev/null
	i=$((i + 1))
done
(cd "$mnt" && find tree -type f | sort | xargs sha256sum) >"$sums"
sync
va_check "umount" umount "$mnt"
va_check "fsck -n is clean" e2fsck -fn /dev/vda
va_check "remount" mount -t ext4 /dev/vda "$mnt"
va_check "every file reads back with its checksum" \
	sh -c "cd $mnt && sha256sum -c -s $sums"
va_check "umount again" umount "$mnt"

# What the guest sees must be what reached the backing file.
echo 3 >/proc/sys/vm/drop_caches
va_check "raw disk equals the backing file" cmp /dev/vda "$img"

va_check "transport unloads" rmmod virtio_argo
va_check "disk is gone" [ ! -e /sys/block/vda ]
va_check "device side unloads" rmmod virtio_argo_backend
