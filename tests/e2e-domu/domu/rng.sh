#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-rng across domains: /dev/hwrng yields the bytes asked for, from
# dom0's device side, and they are not constant.
# domu-timeout: 120
set -u
. /tests/domu/lib.sh

hw=/sys/class/misc/hw_random
rng=$(grep -o 'virtio_rng[.0-9]*' "$hw/rng_available" 2>/dev/null | head -n 1)
if [ -z "$rng" ]; then
	echo "not ok - virtio-rng registered # $(va_dmesg)"
	exit 1
fi
echo "$rng" >"$hw/rng_current"
va_check "virtio-rng is the current hwrng" grep -q "$rng" "$hw/rng_current"
va_hwrng_reads
