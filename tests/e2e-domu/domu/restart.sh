#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The device side restarts at the same domain while this guest runs, with
# I/O in flight (dom0's 20-restart.sh plays the other half). The guest
# must see its I/O fail within the transport's watchdog time and the
# device report DEVICE_NEEDS_RESET; once dom0 says the device side is
# back, probing the device afresh (unbind and bind) must give a working
# disk again, with the blocks written before the restart intact.
# domu-timeout: 360
set -u
. /tests/domu/lib.sh

pattern=/tmp/pattern
dd if=/dev/urandom of="$pattern" bs=4096 count=64 2>/dev/null
modprobe virtio_blk
if ! va_load_transport || ! va_wait_for va_disk 30; then
	echo "not ok - disk appears # $(va_dmesg)"
	exit 1
fi
vd=$(va_disk)
echo "ok - disk appears ($vd)"
va_check "64 blocks written before the restart" \
	dd if="$pattern" of="/dev/$vd" bs=4096 count=64 oflag=direct conv=fsync
dev=$(va_platform_dev_of 2)

# Reads in a loop until one fails: I/O in flight when the device goes.
(while dd if="/dev/$vd" of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null; do
	:
done) &
reader=$!
va_event io-running
if ! va_wait_dom0 backend-gone 180; then
	echo "not ok - dom0 unloads the device side # no word from dom0"
	kill "$reader"
	exit 1
fi
t0=$(cut -d . -f 1 /proc/uptime)
if va_wait_exit "$reader" 60; then
	echo "restart: the I/O ended $(($(cut -d . -f 1 /proc/uptime) - t0)) s after dom0 unloaded the device side"
	echo "ok - the guest's I/O fails once the device side is gone"
else
	echo "not ok - the guest's I/O fails once the device side is gone # still running after 60 s"
	kill "$reader"
fi
status=$(va_disk_status "$vd")
va_check "device status says DEVICE_NEEDS_RESET (status ${status:-none})" \
	[ $((${status:-0} & 64)) -ne 0 ]
va_check "a new read fails at once" \
	sh -c "! timeout 20 dd if=/dev/$vd of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null"
dmesg | grep -i 'argo' | tail -n 5
va_event saw-errors

if ! va_wait_dom0 backend-back 180; then
	echo "not ok - dom0 loads the device side again # no word from dom0"
	exit 1
fi
va_check "the transport probes the device afresh ($dev)" va_reprobe_dev "$dev"
if ! va_wait_for va_disk 30; then
	echo "not ok - the disk comes back # $(va_dmesg)"
	exit 1
fi
vd=$(va_disk)
echo "ok - the disk comes back ($vd)"
va_check "the blocks written before the restart read back intact" \
	sh -c "dd if=/dev/$vd bs=4096 count=64 iflag=direct 2>/dev/null | cmp - $pattern"
va_check "writes work again" \
	dd if="$pattern" of="/dev/$vd" bs=4096 count=64 seek=64 oflag=direct conv=fsync
va_check "and read back" \
	sh -c "dd if=/dev/$vd bs=4096 skip=64 count=64 iflag=direct 2>/dev/null | cmp - $pattern"
