#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The direct used scheme: the device writes the guest's used
# ring itself, through an Argo ring over the used ring's pages. virtio-blk
# on the ACPI disk with used_scheme=direct: O_DIRECT writes and reads at
# 4 KiB and 64 KiB (64 KiB requests bring bounced status bytes and buffer
# rings together with images and pads), the disk compared with the backing
# file, and the device never broken.
#
# e2e-timeout: 300
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-direct.img
pattern=/tmp/virtio-argo-direct.pattern
dd if=/dev/zero of="$img" bs=1M count=16 2>/dev/null
dd if=/dev/urandom of="$pattern" bs=1M count=8 2>/dev/null
modprobe virtio_blk
if ! va_backend_load "blk:port=0x10000,file=$img" ||
   ! modprobe virtio_argo used_scheme=direct || ! va_wait_block vda 30; then
	echo "not ok - disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk appears with used_scheme=direct"

va_check "4 KiB O_DIRECT writes" \
	dd if="$pattern" of=/dev/vda bs=4k count=512 oflag=direct
va_check "64 KiB O_DIRECT writes" \
	dd if="$pattern" of=/dev/vda bs=64k skip=32 seek=32 count=96 oflag=direct
# Several passes: pads racing the data of the next request are the case.
pass=1
while [ "$pass" -le 4 ]; do
	va_check "64 KiB O_DIRECT reads, pass $pass" \
		dd if=/dev/vda of=/tmp/readback bs=64k count=128 iflag=direct
	va_check "what was read is what was written, pass $pass" \
		cmp /tmp/readback "$pattern"
	pass=$((pass + 1))
done
va_check "the backing file holds it" \
	cmp -n 8388608 "$img" "$pattern"
va_check "the device was never broken" \
	sh -c '! dmesg | grep -q "virtio-argo.*broken"'
rmmod virtio_argo && rmmod virtio_argo_backend
va_check "modules unload" [ $? -eq 0 ]
