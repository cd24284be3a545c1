#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The demo of "make demo": in dom0 on real Xen with Argo, the device side
# serves a 64 MiB file as a virtio-blk disk, the transport finds it in ACPI,
# and the unmodified virtio_blk driver writes 4 MiB of random data to it and
# reads it back. What a user would look at comes out as result lines.
#
# e2e-timeout: 300
set -u

img=/tmp/demo-disk.img
dd if=/dev/zero of="$img" bs=1M count=64 2>/dev/null
modprobe virtio_argo_backend frontend=0 devices="blk:port=0x10000,file=$img" &&
	modprobe virtio_blk && modprobe virtio_argo || {
	echo "not ok - modules load # $(dmesg | tail -n 1)"
	exit 1
}
i=0
while [ ! -e /sys/block/vda ] && [ "$i" -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
if [ ! -e /sys/block/vda ]; then
	echo "not ok - virtio-blk disk over virtio-argo # no /dev/vda"
	exit 1
fi
dmesg | grep -E 'virtio-argo|virtio_blk|virtio_argo_backend' | sed 's/^/demo: /'
echo "ok - /dev/vda over virtio-argo: $(($(blockdev --getsize64 /dev/vda) / 1048576)) MiB"

dd if=/dev/urandom of=/tmp/demo-data bs=1M count=4 2>/dev/null
want=$(sha256sum </tmp/demo-data | cut -d' ' -f1)
dd if=/tmp/demo-data of=/dev/vda bs=64k conv=fsync 2>/dev/null
echo 3 >/proc/sys/vm/drop_caches
got=$(dd if=/dev/vda bs=64k count=64 2>/dev/null | sha256sum | cut -d' ' -f1)
on_file=$(dd if="$img" bs=64k count=64 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ "$got" = "$want" ] && [ "$on_file" = "$want" ]; then
	echo "ok - wrote 4 MiB, read back sha256 $got, same in the backing file"
else
	echo "not ok - read back # wrote $want, read $got, backing file $on_file"
fi
rmmod virtio_argo && rmmod virtio_argo_backend && echo "ok - modules unload" ||
	echo "not ok - modules unload"
