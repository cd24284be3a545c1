#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark of the two used-ring schemes (Documentation/design.rst), on
# real Xen in dom0: the device side serves a file in tmpfs, the transport
# binds the test bed's ACPI disk with used_scheme=plain, then direct, and
# dd reads it with O_DIRECT at queue depth 1, 4 KiB and 64 KiB. Prints
# requests per second, MB/s, VIRQs per request (from /proc/interrupts)
# and Argo hypercalls per request (argo.ko's debugfs counters); then the
# ratio direct / plain, measured in the same boot. Both sides run in dom0,
# so the counts cover driver and device together.
#
# e2e-timeout: 900
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-bench.img
dd if=/dev/urandom of="$img" bs=1M count=32 2>/dev/null
mount -t debugfs none /sys/kernel/debug 2>/dev/null
modprobe virtio_blk

# Centiseconds since boot.
now() {
	read -r up _ </proc/uptime
	echo "$up" | tr -d .
}

virqs() {
	awk '/argo/ { n = 0; for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) n += $i; else break; s += n } END { print s + 0 }' /proc/interrupts
}

# Argo hypercalls made so far (argo.ko's debugfs counters, every op).
hypercalls() {
	cat /sys/kernel/debug/argo/register_ring \
	    /sys/kernel/debug/argo/unregister_ring \
	    /sys/kernel/debug/argo/sendv /sys/kernel/debug/argo/notify |
		awk '{ s += $1 } END { print s + 0 }'
}

# run SCHEME BS COUNT: one dd pass; prints "rate mbps virqs/req hc/req".
run() {
	v0=$(virqs)
	h0=$(hypercalls)
	t0=$(now)
	dd if=/dev/vda of=/dev/null bs="$2" count="$3" iflag=direct 2>/dev/null
	t1=$(now)
	v1=$(virqs)
	h1=$(hypercalls)
	awk -v s="$1" -v bs="$2" -v n="$3" -v t="$((t1 - t0))" \
	    -v v="$((v1 - v0))" -v h0="$h0" -v h1="$h1" 'BEGIN {
		b = bs; sub(/k$/, "", b); b *= 1024
		if (t < 1) t = 1
		printf "bench: %-6s %3s  %8.0f req/s  %7.2f MB/s  %5.2f VIRQs/req  %5.2f hypercalls/req\n",
		       s, bs, n * 100 / t, n * b * 100 / t / 1e6, v / n, (h1 - h0) / n
		printf "%s %s %f\n", s, bs, n * 100 / t > "/tmp/bench-" s "-" bs
	}'
}

for scheme in plain direct; do
	if ! va_backend_load "blk:port=0x10000,file=$img" ||
	   ! modprobe virtio_argo used_scheme="$scheme" ||
	   ! va_wait_block vda 30; then
		echo "not ok - $scheme: disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
		exit 1
	fi
	got=$(cat /sys/module/virtio_argo/parameters/used_scheme)
	va_check "$scheme: transport uses the $scheme scheme (says $got)" \
		[ "$got" = "$scheme" ]
	# Warm up, then measure.
	dd if=/dev/vda of=/dev/null bs=4k count=64 iflag=direct 2>/dev/null
	run "$scheme" 4k 2000
	run "$scheme" 64k 400
	va_check "$scheme: data read back is the backing file's" cmp /dev/vda "$img"
	rmmod virtio_argo
	rmmod virtio_argo_backend
done

for bs in 4k 64k; do
	awk -v bs="$bs" '{ r[$1] = $3 } END {
		printf "bench: direct/plain at %s: %.2f\n", bs, r["direct"] / r["plain"]
	}' "/tmp/bench-plain-$bs" "/tmp/bench-direct-$bs"
done
echo "ok - used-scheme benchmark ran"
