#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-console across domains: a line written to the port comes out of
# the device side's character device in dom0, where dom0's test echoes it
# back, and must arrive here unchanged; dom0 checks on its side that it
# read the same line.
#
# The console is probed again with the direct used scheme first: the
# stock virtio_console driver waits for each output buffer to be used by
# spinning with interrupts off (__send_to_port()). With the plain scheme
# the used ring is written by this guest's own receive work, which cannot
# run on a guest's only vCPU while it spins: observed, the guest hangs
# for good (RCU stall in put_chars()). With the direct scheme Xen writes
# the used ring itself, but the device sends the next image only after the
# guest consumed the last one: a second write while the first spins hangs
# the same way (observed with the tty echoing dom0's bytes). So the port
# stays open (hvc resets its termios at the last close) in raw mode without
# echo, and the guest writes once.
# domu-timeout: 90
set -u
. /tests/domu/lib.sh

if ! dev=$(va_platform_dev_of 3); then
	echo "not ok - a virtio-console device # $(va_dmesg)"
	exit 1
fi
echo direct >/sys/module/virtio_argo/parameters/used_scheme
va_check "console device $dev probed again with the direct used scheme" \
	va_reprobe_dev "$dev"
echo plain >/sys/module/virtio_argo/parameters/used_scheme
if ! va_wait_for va_console_tty 30; then
	echo "not ok - console port appears # $(va_dmesg)"
	exit 1
fi
port=$(va_console_tty)
exec 3<>"$port"
if ! stty -F "$port" raw -echo; then
	echo "not ok - console port $port in raw mode # $(va_dmesg)"
	exit 1
fi
echo "ok - console port $port in raw mode"

# 1000 characters: a marker, then random hex.
line="va-console-$(od -An -N 494 -tx1 /dev/urandom | tr -d ' \n')"
len=$((${#line} + 1))
timeout 30 head -c "$len" <&3 >/tmp/echoed &
reader=$!
sleep 1
va_event console-sent "$(echo "$line" | cut -c 1-40)"
printf '%s\n' "$line" >&3
wait "$reader"
got=$(wc -c </tmp/echoed)
va_check "dom0 echoed the $len bytes back (got $got)" [ "$got" -eq "$len" ]
va_check "the echo is the line sent" [ "$(cat /tmp/echoed)" = "$line" ]
