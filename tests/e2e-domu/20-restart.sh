#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The device side restarts, at the same domain (dom0), while the guest in a
# PV domU runs I/O on its disk: dom0 unloads virtio_argo_backend and loads
# it again with the same devices; the guest (domu/restart.sh) checks that
# its I/O failed, that the device needs a reset, and that probing it afresh
# gives a working disk with its data. Then the device side moves to a new
# address and the guest reloads the transport with the new description
# (domu/moved.sh).
#
# e2e-domu-variants: default
# e2e-timeout: 480
set -u
. /tests/e2e/lib-domu.sh

name=va-restart
img=/tmp/va-restart.img
dd if=/dev/zero of="$img" bs=1M count=16 2>/dev/null
backend="blk:port=$VA_BLK_PORT,file=$img"

if ! domid=$(va_domu_create "$name" "va.devices=0:$VA_BLK_PORT:2 va.run=restart,moved"); then
	echo "not ok - domU created"
	exit 1
fi
echo "ok - domU created (domain $domid)"
if ! modprobe virtio_argo_backend frontend="$domid" devices="$backend"; then
	echo "not ok - device side loads # $(dmesg | tail -n 2 | tr '\n' ' ')"
	va_domu_destroy "$name"
	exit 1
fi
echo "ok - device side loads"
xl unpause "$name"

if va_domu_wait "$name" '@@DOMU-EVENT io-running' 180 >/dev/null; then
	va_check "device side unloads while the guest's I/O runs" \
		timeout 60 rmmod virtio_argo_backend
	va_domu_send "$name" backend-gone
	if va_domu_wait "$name" '@@DOMU-EVENT saw-errors' 120 >/dev/null; then
		va_check "device side loads again, same domain and ports" \
			modprobe virtio_argo_backend frontend="$domid" devices="$backend"
		va_domu_send "$name" backend-back
	fi
fi
if va_domu_wait "$name" '@@DOMU-EVENT moving' 240 >/dev/null; then
	va_check "device side unloads" timeout 60 rmmod virtio_argo_backend
	va_check "device side loads at a new port" modprobe virtio_argo_backend \
		frontend="$domid" devices="blk:port=$VA_BLK_MOVED_PORT,file=$img"
	# A domain id that names no domain, as a destroyed backend's would.
	gone=$((domid + 100))
	va_domu_send "$name" "moved 0:$VA_BLK_MOVED_PORT:2 $gone"
fi
va_domu_results "$name" 240
# The guest wrote the same 64 blocks before the restart and after it.
dd if="$img" of=/tmp/before bs=4096 count=64 2>/dev/null
dd if="$img" of=/tmp/after bs=4096 skip=64 count=64 2>/dev/null
dd if=/dev/zero of=/tmp/zero bs=4096 count=64 2>/dev/null
va_check "dom0's file holds the guest's blocks from before and after the restart" \
	sh -c "cmp -s /tmp/before /tmp/after && ! cmp -s /tmp/before /tmp/zero"
va_domu_destroy "$name"
rmmod virtio_argo_backend 2>/dev/null
echo "restart: domU console log follows"
tr -d '\r' <"$(va_domu_log "$name")" | sed 's/^/domU: /'
