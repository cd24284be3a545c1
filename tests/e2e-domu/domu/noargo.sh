#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A guest whose label the FLASK policy does not give Argo at all (no
# "enable"; dom0's 50-flask.sh): the Argo layer must refuse to load, at
# once, naming the error Xen returned (-EACCES), and so must the transport.
# domu-timeout: 60
set -u
. /tests/domu/lib.sh

va_check "argo.ko refuses to load" sh -c "! modprobe argo"
line=$(dmesg | grep -m 1 'notify returned')
echo "noargo: $line"
va_check "it names Xen's answer, EACCES, as an access-control denial" sh -c "dmesg | grep -q 'denied to this domain by Xen.s access control (notify returned -13)'"
transport_refused() { ! va_load_transport; }
va_check "the transport cannot load either" transport_refused
