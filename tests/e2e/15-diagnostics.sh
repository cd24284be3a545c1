#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Diagnostics: while virtio-blk reads and writes 1 MiB each on
# the test bed's ACPI disk (port 0x10000), the debugfs counters of the Argo
# layer (argo/) and of the transport (virtio-argo/<device>/) must account
# for that I/O, and the tracepoints of both modules must record it.
#
# e2e-timeout: 180
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-diag.img
dbg=/sys/kernel/debug
trc=/sys/kernel/tracing
mib=1048576
dd if=/dev/urandom of="$img" bs=1M count=8 2>/dev/null

grep -q " $dbg debugfs " /proc/mounts || mount -t debugfs debugfs "$dbg"
[ -e "$trc/trace" ] || mount -t tracefs tracefs "$trc"

if ! va_backend_load "blk:port=0x10000,file=$img" || ! modprobe virtio_argo ||
   ! va_wait_block vda 30; then
	echo "not ok - disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk appears"

# The transport's directory is named after the disk's platform device.
pdev=$(basename "$(dirname "$(readlink -f /sys/block/vda/device)")")
dev=$dbg/virtio-argo/$pdev
counters="msgs_sent bytes_sent msgs_received bytes_received eagain kicks used
	failed bounces ring_maps ring_budget_full buffer_rings_in_use"
argo_counters="register_ring unregister_ring sendv notify sendv_eagain
	sendv_bytes errors virqs rings_in_use"
missing=
for c in $counters; do
	[ -r "$dev/$c" ] || missing="$missing $c"
done
va_check "virtio-argo/$pdev has every counter${missing:+ (missing:$missing)}" \
	[ -z "$missing" ]
missing=
for c in $argo_counters; do
	[ -r "$dbg/argo/$c" ] || missing="$missing $c"
done
va_check "argo/ has every counter${missing:+ (missing:$missing)}" [ -z "$missing" ]
va_check "buffer ring budget is the default 96" \
	[ "$(cat "$dbg/virtio-argo/buffer_rings")" = 96 ]

# snapshot PREFIX DIR NAMES...: PREFIX_<name>=<value> for each counter.
snapshot() {
	prefix=$1
	dir=$2
	shift 2
	for c in "$@"; do
		eval "${prefix}_$c=$(cat "$dir/$c" 2>/dev/null || echo 0)"
	done
}
# delta NAME: how much the counter NAME moved between b_ and a_.
delta() {
	eval "echo \$((a_$1 - b_$1))"
}

events="virtio_argo/virtio_argo_kick virtio_argo/virtio_argo_vq_interrupt
	argo/argo_sendv argo/argo_ring_register argo/argo_virq"
echo >"$trc/trace"
for e in $events; do
	echo 1 >"$trc/events/$e/enable"
done

# shellcheck disable=SC2086 # one word per counter
snapshot b "$dev" $counters
# shellcheck disable=SC2086
snapshot b "$dbg/argo" $argo_counters
dd if=/dev/vda of=/dev/null bs=64k count=16 iflag=direct 2>/dev/null
dd if=/dev/urandom of=/dev/vda bs=64k count=16 seek=32 oflag=direct 2>/dev/null
# shellcheck disable=SC2086
snapshot a "$dev" $counters
# shellcheck disable=SC2086
snapshot a "$dbg/argo" $argo_counters

for e in $events; do
	echo 0 >"$trc/events/$e/enable"
done
trace=/tmp/virtio-argo-diag.trace
cat "$trc/trace" >"$trace"

va_check "1 MiB read arrived ($(delta bytes_received) bytes received)" \
	[ "$(delta bytes_received)" -ge "$mib" ]
va_check "1 MiB written was sent ($(delta bytes_sent) bytes sent)" \
	[ "$(delta bytes_sent)" -ge "$mib" ]
va_check "32 requests completed ($(delta used) used elements)" \
	[ "$(delta used)" -ge 32 ]
va_check "no buffer failed ($(delta failed))" [ "$(delta failed)" = 0 ]
kicks=$(delta kicks)
va_check "kicks were sent ($kicks)" [ "$kicks" -gt 0 ]
va_check "each kick was a message ($(delta msgs_sent) messages)" \
	[ "$kicks" -le "$(delta msgs_sent)" ]
va_check "device-writable buffers took a ring or bounced ($(delta ring_maps) + $(delta bounces))" \
	[ $(($(delta ring_maps) + $(delta bounces))) -ge 32 ]
va_check "every buffer ring given back" [ "$(cat "$dev/buffer_rings_in_use")" = 0 ]
va_check "one register_ring hypercall per buffer ring ($(delta register_ring) for $(delta ring_maps))" \
	[ "$(delta register_ring)" = "$(delta ring_maps)" ]
va_check "as many unregister_ring ($(delta unregister_ring))" \
	[ "$(delta unregister_ring)" = "$(delta register_ring)" ]
va_check "every message sent was a sendv ($(delta sendv) for $(delta msgs_sent))" \
	[ "$(delta sendv)" -ge "$(delta msgs_sent)" ]
va_check "VIRQs were taken ($(delta virqs))" [ "$(delta virqs)" -gt 0 ]
va_check "no hypercall failed ($(delta errors))" [ "$(delta errors)" = 0 ]

for e in virtio_argo_kick virtio_argo_vq_interrupt argo_sendv argo_ring_register argo_virq; do
	n=$(grep -c " $e: " "$trace")
	va_check "tracepoint $e recorded events ($n)" [ "$n" -gt 0 ]
done
va_check "kick events name the device" grep -q "virtio_argo_kick: $pdev queue 0 " "$trace"
# Nothing else uses Argo meanwhile: each event is one count, and back.
n=$(grep -c " argo_sendv: " "$trace")
va_check "sendv counter equals its events ($(delta sendv) and $n)" \
	[ "$(delta sendv)" = "$n" ]
n=$(grep -c " argo_ring_register: " "$trace")
va_check "register_ring counter equals its events ($(delta register_ring) and $n)" \
	[ "$(delta register_ring)" = "$n" ]
n=$(grep -c " virtio_argo_kick: .* ret 0$" "$trace")
va_check "kicks counter equals the successful kick events ($kicks and $n)" \
	[ "$kicks" = "$n" ]

va_check "transport unloads" rmmod virtio_argo
va_check "its debugfs directory is gone" [ ! -e "$dbg/virtio-argo" ]
va_check "device side unloads" rmmod virtio_argo_backend
