#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Load the stock virtio drivers and the transport with the devices dom0
# described on the command line (VA_DEVICES: no ACPI in a PV domU), and
# wait for each device to come up under its driver.
# domu-timeout: 90
set -u
. /tests/domu/lib.sh

for m in virtio_blk virtio_rng virtio_console; do
	va_check "modprobe $m" modprobe "$m"
done
if ! va_load_transport; then
	echo "not ok - transport loads # $(va_dmesg)"
	exit 1
fi
echo "ok - transport loads ($(echo "$VA_DEVICES" | wc -w) devices)"

for dev in $VA_DEVICES; do
	id=$(echo "$dev" | cut -d : -f 3)
	case $id in
	2) what="virtio-blk disk /dev/vda"; cond='[ -b /dev/vda ]' ;;
	4) what="virtio-rng hwrng"; cond='grep -q virtio /sys/class/misc/hw_random/rng_available' ;;
	3) what="virtio-console port"; cond='va_console_tty' ;;
	*) continue ;;
	esac
	if va_wait_for "$cond" 30; then
		echo "ok - $what appears ($dev)"
	else
		echo "not ok - $what appears ($dev) # $(va_dmesg)"
	fi
done
