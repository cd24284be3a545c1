#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The device side restarts while the guest is idle. The new device side
# has no session with the transport, so what the transport sends next
# cannot be served: the transport must notice and fail it (device broken,
# status NEEDS_RESET) within 30 s rather than leave the I/O hanging.
# Probing the device afresh (unbind and bind) opens a new session, and the
# blocks written before the restart read back intact.
#
# e2e-timeout: 300
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-restart.img
pattern=/tmp/numbered
dd if=/dev/zero of="$img" bs=1M count=16 2>/dev/null
va_numbered_blocks "$pattern" 64

if ! va_backend_load "blk:port=0x10000,file=$img" || ! modprobe virtio_blk ||
   ! modprobe virtio_argo || ! vd=$(va_wait_vd 30); then
	echo "not ok - disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk appears ($vd)"
va_check "64 blocks written before the restart" \
	dd if="$pattern" of="/dev/$vd" bs=4096 count=64 oflag=direct conv=notrunc,fsync
sleep 1

va_check "device side unloads while the guest is idle" timeout 60 rmmod virtio_argo_backend
va_check "device side loads again" va_backend_load "blk:port=0x10000,file=$img"

# The first request after the restart.
t0=$(va_uptime)
dd if="/dev/$vd" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null &
rd=$!
if va_wait_exit "$rd" 30; then
	wait "$rd"
	rc=$?
	t1=$(va_uptime)
	echo "restart: the first read after the restart ended in $((t1 - t0)) s, exit $rc"
	va_check "the first read after the restart fails within 30 s ($((t1 - t0)) s)" \
		[ "$rc" != 0 ]
	status=$(va_virtio_status "$vd")
	va_check "device status says NEEDS_RESET ($status)" \
		[ $((${status:-0} & 0x40)) -ne 0 ]
else
	echo "not ok - the first read after the restart fails within 30 s # still blocked"
	echo w >/proc/sysrq-trigger
	echo "restart: device status while the read is stuck: $(va_virtio_status "$vd")"
	# Unstick it to test the rest: with the device side gone, the next
	# kick is refused, which breaks the device and fails what it holds.
	rmmod virtio_argo_backend
	timeout 20 dd if="/dev/$vd" of=/dev/null bs=4096 count=1 skip=1 \
		iflag=direct 2>/dev/null
	if ! va_wait_exit "$rd" 30; then
		echo "not ok - a refused kick ends the stuck read # still blocked"
		exit 1
	fi
	va_check "device side loads again after the stuck read" \
		va_backend_load "blk:port=0x10000,file=$img"
fi
# From here on nothing may block: have the detector say so within the test.
va_hung_task_timeout 20
trap 'va_hung_task_timeout 0' EXIT
va_check "transport probes the device afresh" va_reprobe 60
if ! vd=$(va_wait_vd 30); then
	echo "not ok - disk comes back # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk comes back ($vd)"
va_check "the blocks written before the restart read back intact" \
	va_blocks_intact "$vd" "$pattern" 64

va_check "transport unloads" timeout 60 rmmod virtio_argo
va_check "device side unloads" timeout 60 rmmod virtio_argo_backend
hung=$(va_hung_tasks)
va_check "no task hung${hung:+ ($hung)}" [ -z "$hung" ]
rm -f "$img" "$pattern"
