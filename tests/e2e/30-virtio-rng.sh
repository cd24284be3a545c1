#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-rng over virtio-argo, with the device given on the
# module command line (the discovery used where there is no ACPI):
# /dev/hwrng yields the bytes asked for, and they are not constant.
#
# e2e-timeout: 300
set -u
. /tests/e2e/lib-virtio-argo.sh

if ! va_backend_load "rng:port=0x20000"; then
	echo "not ok - device side loads # $(dmesg | tail -n 1)"
	exit 1
fi
echo "ok - device side loads"
modprobe virtio_rng
# The ACPI disk has no device side here: it must fail alone, cleanly.
if ! modprobe virtio_argo device=0:0x20000:4; then
	echo "not ok - transport loads # $(dmesg | tail -n 1)"
	exit 1
fi
echo "ok - transport loads"

i=0
while ! grep -q virtio /sys/class/misc/hw_random/rng_available 2>/dev/null &&
	[ "$i" -lt 30 ]; do
	sleep 1
	i=$((i + 1))
done
va_check "virtio-rng registers as a hwrng" \
	grep -q virtio /sys/class/misc/hw_random/rng_available
rng=$(grep -o 'virtio_rng[.0-9]*' /sys/class/misc/hw_random/rng_available | head -n 1)
[ -n "$rng" ] && echo "$rng" >/sys/class/misc/hw_random/rng_current

va_hwrng_reads

va_check "transport unloads" rmmod virtio_argo
va_check "device side unloads" rmmod virtio_argo_backend
