#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-blk over virtio-argo: the device side serves a file, the
# transport finds the disk in the test bed's ACPI table (ARGO0001, port
# 0x10000), and the unmodified virtio_blk driver does real I/O on it: a
# filesystem, files with checksums, fsck (lib-checks.sh), and the raw
# backing file compared with what the guest wrote.
#
# e2e-timeout: 300
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-disk.img
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

va_ext4_roundtrip /dev/vda /mnt/virtio-argo

# What the guest sees must be what reached the backing file.
echo 3 >/proc/sys/vm/drop_caches
va_check "raw disk equals the backing file" cmp /dev/vda "$img"

va_check "transport unloads" rmmod virtio_argo
va_check "disk is gone" [ ! -e /sys/block/vda ]
va_check "device side unloads" rmmod virtio_argo_backend
