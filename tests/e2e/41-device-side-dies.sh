#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The device side dies during I/O: while fio runs at queue depth 32 and a
# writer puts numbered blocks on the disk one by one (O_DIRECT, fsync),
# recording each acknowledged one, the device side is unloaded. The
# transport must then fail every outstanding and every later request: the
# guest's I/O ends with errors within 30 s, the device status says
# NEEDS_RESET, and no task hangs. Once the device side is back and the
# transport's device is probed afresh (unbind and bind), every
# acknowledged block must read back intact.
#
# e2e-timeout: 360
set -u
. /tests/e2e/lib-virtio-argo.sh

img=/tmp/virtio-argo-dies.img
pattern=/tmp/numbered
acked=/tmp/acked
blocks=2048
dd if=/dev/zero of="$img" bs=1M count=32 2>/dev/null
va_numbered_blocks "$pattern" "$blocks"
: >"$acked"
va_hung_task_timeout 20
trap 'va_hung_task_timeout 0' EXIT

# Blocks 0.. of the disk, one O_DIRECT write each, then fsync; each
# acknowledged block number goes to $acked. Stops at the first error.
writer() {
	n=0
	while [ "$n" -lt "$blocks" ]; do
		dd if="$pattern" of="/dev/$1" bs=4096 count=1 skip="$n" seek="$n" \
			oflag=direct conv=notrunc,fsync 2>/dev/null || return 1
		echo "$n" >>"$acked"
		n=$((n + 1))
	done
}

if ! va_backend_load "blk:port=0x10000,file=$img" || ! modprobe virtio_blk ||
   ! modprobe virtio_argo || ! vd=$(va_wait_vd 30); then
	echo "not ok - disk appears # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk appears ($vd)"

# fio keeps 32 requests in flight above the numbered blocks.
fio --name=load --filename="/dev/$vd" --rw=randrw --bsrange=4k-256k \
	--ioengine=libaio --iodepth=32 --direct=1 --offset=16m --size=16m \
	--time_based --runtime=120 >/tmp/fio-load.out 2>&1 &
fio=$!
writer "$vd" &
wr=$!

end=$(($(va_uptime) + 60))
while [ "$(wc -l <"$acked")" -lt 16 ] && [ "$(va_uptime)" -lt "$end" ]; do
	sleep 1
done
before=$(wc -l <"$acked")
va_check "writes are acknowledged before the device side dies ($before)" \
	[ "$before" -ge 16 ]

t0=$(va_uptime)
va_check "device side unloads during I/O" timeout 60 rmmod virtio_argo_backend
t1=$(va_uptime)
echo "dies: device side unloaded in $((t1 - t0)) s, $(wc -l <"$acked") blocks acknowledged"

# Both must end within 30 s of the unload.
stuck=
if va_wait_exit "$wr" $((t1 + 30 - $(va_uptime))); then
	wait "$wr"
	wrc=$?
	va_check "the numbered writes end with an error (exit $wrc)" [ "$wrc" != 0 ]
else
	echo "not ok - the numbered writes end within 30 s # still blocked"
	stuck=1
fi
if va_wait_exit "$fio" $((t1 + 30 - $(va_uptime))); then
	wait "$fio"
	frc=$?
	tail -n 15 /tmp/fio-load.out
	va_check "fio ends with an I/O error (exit $frc)" [ "$frc" != 0 ]
else
	echo "not ok - fio ends within 30 s # still blocked"
	stuck=1
fi
t2=$(va_uptime)
echo "dies: guest I/O ended $((t2 - t1)) s after the unload"
if [ -n "$stuck" ]; then
	# Where the tasks are stuck, on the console.
	echo w >/proc/sysrq-trigger
	exit 1
fi

status=$(va_virtio_status "$vd")
va_check "device status says NEEDS_RESET ($status)" \
	[ $((${status:-0} & 0x40)) -ne 0 ]
va_read_counter failed "$vd" failed
if [ -n "$failed" ]; then
	va_check "the transport failed the buffers it held ($failed)" [ "$failed" -gt 0 ]
else
	echo "ok - the transport failed the buffers it held # SKIP no debugfs counters"
fi
t0=$(va_uptime)
va_check "a later read fails" \
	sh -c "! timeout 20 dd if=/dev/$vd of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null"
t1=$(va_uptime)
va_check "and fails at once ($((t1 - t0)) s)" [ $((t1 - t0)) -le 5 ]

count=$(wc -l <"$acked")
va_check "device side loads again" va_backend_load "blk:port=0x10000,file=$img"
va_check "transport probes the device afresh" va_reprobe 60
if ! vd=$(va_wait_vd 30); then
	echo "not ok - disk comes back # $(dmesg | tail -n 2 | tr '\n' ' ')"
	exit 1
fi
echo "ok - disk comes back ($vd)"
va_check "all $count acknowledged blocks read back intact" \
	va_blocks_intact "$vd" "$pattern" "$count"
# Blocks 0-63 of the pattern again, 12 MiB in: fresh writes that read back.
va_check "the disk takes writes again" \
	dd if="$pattern" of="/dev/$vd" bs=4096 count=64 seek=3072 oflag=direct \
	conv=notrunc,fsync
dd if="/dev/$vd" of=/tmp/again bs=4096 count=64 skip=3072 iflag=direct 2>/dev/null
va_check "and reads them back" sh -c "head -c 262144 $pattern | cmp - /tmp/again"

va_check "transport unloads" timeout 60 rmmod virtio_argo
va_check "device side unloads" timeout 60 rmmod virtio_argo_backend
hung=$(va_hung_tasks)
va_check "no task hung${hung:+ ($hung)}" [ -z "$hung" ]
rm -f "$img" "$pattern" "$acked" /tmp/again /tmp/fio-load.out
