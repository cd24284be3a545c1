#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The frontend in a PV domU, the device side in dom0: dom0 serves a disk,
# a random number generator and a console to one domU, which loads the
# transport with those devices given on its command line (no ACPI in a PV
# guest) and runs real I/O on each (domu/load, blk, rng, console, unload).
# dom0 checks its side: the backing file holds what the guest wrote, and
# the console bytes the guest wrote came out of the device side's
# character device (dom0 echoes them back; the guest checks the echo).
#
# e2e-domu-variants: default
# e2e-timeout: 420
set -u
. /tests/e2e/lib-domu.sh

name=va-devices
img=/tmp/va-devices.img
con=/dev/va-con-devices
dd if=/dev/zero of="$img" bs=1M count=64 2>/dev/null

devices="0:$VA_BLK_PORT:2,0:$VA_RNG_PORT:4,0:$VA_CON_PORT:3"
if ! domid=$(va_domu_create "$name" "va.devices=$devices va.run=load,blk,rng,console,unload"); then
	echo "not ok - domU created"
	exit 1
fi
echo "ok - domU created (domain $domid, paused)"

# The device side's rings take messages from that domain only.
if ! modprobe virtio_argo_backend frontend="$domid" \
	devices="blk:port=$VA_BLK_PORT,file=$img;rng:port=$VA_RNG_PORT;console:port=$VA_CON_PORT,name=${con#/dev/}"; then
	echo "not ok - device side loads for domain $domid # $(dmesg | tail -n 2 | tr '\n' ' ')"
	va_domu_destroy "$name"
	exit 1
fi
echo "ok - device side loads for domain $domid"

# Echo what the guest writes to its console port back to it.
# shellcheck disable=SC2094 # a character device: in and out are two streams
tee /tmp/con-from-guest <"$con" >"$con" &
echoer=$!

t0=$(cut -d . -f 1 /proc/uptime)
va_check "domU starts" xl unpause "$name"
va_domu_results "$name" 360
echo "devices: domU ran for $(($(cut -d . -f 1 /proc/uptime) - t0)) s"

# What the guest read back from its disk is what dom0's file holds.
guest_sum=$(va_domu_wait "$name" '@@DOMU-EVENT vda-sha256' 0 | tr -d '\r' | awk '{ print $NF }')
file_sum=$(sha256sum "$img" | cut -d ' ' -f 1)
va_check "the backing file in dom0 holds what the guest read from its disk" \
	[ "${guest_sum:-none}" = "$file_sum" ]
va_check "the guest's console line came out of $con in dom0" \
	grep -q '^va-console-' /tmp/con-from-guest

# An open character device holds the device side's module.
kill "$echoer" 2>/dev/null
wait "$echoer" 2>/dev/null
va_domu_destroy "$name"
va_check "device side unloads" rmmod virtio_argo_backend
echo "devices: domU console log follows"
tr -d '\r' <"$(va_domu_log "$name")" | sed 's/^/domU: /'
