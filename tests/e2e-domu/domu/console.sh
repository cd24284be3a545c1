#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# virtio-console across domains: a line written to the port comes out of
# the device side's character device in dom0, where dom0's test echoes it
# back, and must arrive here unchanged; dom0 checks on its side that it
# read the same line.
#
# The stock driver waits for each output buffer with interrupts off, on
# this guest's only vCPU, and the transport takes the device's answer in
# itself meanwhile (Documentation/design.rst): the line goes out in ten
# writes, each waited for so.
# The port stays open (hvc resets its termios at the last close) in raw
# mode without echo: dom0 echoes what it reads, and a tty echoing that
# back would bounce the bytes for ever.
# domu-timeout: 90
set -u
. /tests/domu/lib.sh

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
printf '%s\n' "$line" >/tmp/line
write_line() {
	timeout 30 dd if=/tmp/line bs=100 2>/dev/null >&3
}
va_check "the line goes out in writes of 100 bytes" write_line
wait "$reader"
got=$(wc -c </tmp/echoed)
va_check "dom0 echoed the $len bytes back (got $got)" [ "$got" -eq "$len" ]
va_check "the echo is the line sent" [ "$(cat /tmp/echoed)" = "$line" ]
