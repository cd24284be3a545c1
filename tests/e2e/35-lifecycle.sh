#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Lifecycle of the transport: five times over, load the device side and
# the transport, start reads and writes on the virtio-blk disk, and unload
# the transport while they are in flight. Every unload must finish
# promptly with the I/O ended (completed or failed), and afterwards Argo
# (the hypervisor, or the simulation, which keeps the same 128-ring budget
# per domain) must grant this domain exactly as many rings as before:
# nothing leaked a ring slot (argo_selftest.ko slots=1 counts them).
#
# e2e-timeout: 420
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-life.img
dd if=/dev/urandom of="$img" bs=1M count=16 2>/dev/null

# Rings Argo still grants this domain, as argo_selftest counts them.
free_slots() {
	modprobe argo_selftest slots=1 || return 1
	rmmod argo_selftest
	dmesg | sed -n 's/^.*argo-selftest: free ring slots: //p' | tail -n 1
}

modprobe virtio_blk
before=$(free_slots)
va_check "$VA_PROVIDER ring slots counted ($before)" [ "${before:-0}" -gt 0 ]

cycle=1
while [ "$cycle" -le 5 ]; do
	if ! va_backend_load "blk:port=0x10000,file=$img" ||
	   ! modprobe virtio_argo || ! va_wait_block vda 30; then
		echo "not ok - cycle $cycle: disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
		exit 1
	fi
	dd if=/dev/vda of=/dev/null bs=64k iflag=direct 2>/dev/null &
	reader=$!
	dd if=/dev/urandom of=/dev/vda bs=4k count=2048 seek=2048 oflag=direct 2>/dev/null &
	writer=$!
	sleep 1
	va_check "cycle $cycle: transport unloads with I/O in flight" \
		timeout 60 rmmod virtio_argo
	# Both end, with data or with errors, once the disk is gone.
	va_check "cycle $cycle: in-flight I/O ends" \
		timeout 30 sh -c "while kill -0 $reader 2>/dev/null || kill -0 $writer 2>/dev/null; do sleep 1; done"
	kill -9 "$reader" "$writer" 2>/dev/null
	wait "$reader" "$writer" 2>/dev/null
	va_check "cycle $cycle: device side unloads" rmmod virtio_argo_backend
	va_check "cycle $cycle: disk is gone" [ ! -e /sys/block/vda ]
	cycle=$((cycle + 1))
done

after=$(free_slots)
va_check "no ring slot leaked over five cycles ($before before, $after after)" \
	[ "$before" = "$after" ]
va_check "no kernel warning, oops or hung task" \
	sh -c '! dmesg | grep -q "WARNING:\|BUG:\|Oops\|blocked for more than"'
