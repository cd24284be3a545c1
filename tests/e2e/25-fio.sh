#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fio on the virtio-argo disk: random reads and writes of
# 4 KiB to 1 MiB at queue depth 32 (libaio, O_DIRECT), every write checked
# by a crc32c read back (as it goes and at the end). So many device-
# writable buffers in flight exceed the transport's budget of buffer
# rings: the transport's debugfs counters must show reads on both paths,
# buffer rings and the bounce path. Prints fio's figures and the counters.
# Few processes are started: each costs much under TCG in a PV dom0.
#
# e2e-timeout: 300
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-fio.img
out=/tmp/fio.out
dd if=/dev/zero of="$img" bs=1M count=64 2>/dev/null

if ! command -v fio >/dev/null; then
	echo "not ok - fio is in the initramfs # see scripts/testbed/tools.list"
	exit 1
fi
if ! va_backend_load "blk:port=0x10000,file=$img" || ! modprobe virtio_blk ||
   ! modprobe virtio_argo || ! va_wait_block vda 30; then
	echo "not ok - disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk appears"

# Each block is written at most once (fio's random map), so every write
# can be verified. size bounds the run (64 MiB of I/O, then the final
# verification); runtime only guards against a stall.
read -r t0 _ </proc/uptime
fio --name=randrw --filename=/dev/vda --rw=randrw --rwmixread=50 \
	--bsrange=4k-1m --ioengine=libaio --iodepth=32 --direct=1 \
	--size=64m --runtime=120 --verify=crc32c --verify_backlog=32 \
	--do_verify=1 --verify_fatal=1 --output-format=normal,terse \
	--terse-version=3 >"$out" 2>&1
rc=$?
read -r t1 _ </proc/uptime

# Print fio's report, keep its terse line, count verify failures.
terse=
bad=0
while IFS= read -r line; do
	case $line in
	'3;'*) terse=$line ;;
	*'verify failed'* | *'bad magic'* | *'bad header'*)
		bad=$((bad + 1))
		echo "$line"
		;;
	*) echo "$line" ;;
	esac
done <"$out"
# Terse v3: 5 error; 6-8 read KiB, KiB/s, IOPS; 47-49 the same for writes.
IFS=';'
# shellcheck disable=SC2086 # split on ';' on purpose
set -- $terse
unset IFS
if [ $# -ge 49 ]; then
	err=$5
	written=${47}
	echo "fio: read $6 KiB at $7 KiB/s, $8 IOPS; write ${47} KiB at ${48} KiB/s, ${49} IOPS; $(((${t1%.*}${t1#*.} - ${t0%.*}${t0#*.}) / 100)) s in all"
else
	err=none
	written=0
fi
va_check "fio exits cleanly (exit $rc, error $err)" [ "$rc.$err" = 0.0 ]
va_check "fio wrote data to verify ($written KiB)" [ "$written" -gt 0 ]
va_check "no verify error ($bad reported)" [ "$bad" = 0 ]

va_transport_counters | sed 's/^/fio: counters: /'
va_read_counter maps vda ring_maps
va_read_counter bounces vda bounces
va_read_counter full vda ring_budget_full
# shellcheck disable=SC2154 # set by va_read_counter
if [ -n "$bounces" ]; then
	va_check "reads took buffer rings ($maps) and the bounce path ($bounces)" \
		[ $((maps > 0 && bounces > 0)) = 1 ]
	va_check "the buffer-ring budget ran out ($full times)" [ "$full" -gt 0 ]
else
	echo "ok - reads took both paths # SKIP the transport has no debugfs counters"
fi

va_check "transport unloads" rmmod virtio_argo
va_check "device side unloads" rmmod virtio_argo_backend
rm -f "$img" "$out"
