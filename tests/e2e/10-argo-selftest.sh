#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The Argo layer's test cases (tests/selftest/argo_cases.c) on the
# provider under test: the real hypervisor in dom0 ("make e2e"), the
# simulation without one ("make e2e-sim"; KUnit runs them there too).
# argo.ko is loaded with provider=$VA_PROVIDER, so that a Xen without Argo
# fails here with the layer's own message instead of falling back to the
# simulation.
#
# e2e-timeout: 180
set -u
. /tests/e2e/lib-virtio-argo.sh

if ! insmod "$VA_MODULES/argo.ko" provider="$VA_PROVIDER" 2>/dev/null; then
	why=$(dmesg | grep 'argo: ' | tail -n 1 | sed 's/^\[[^]]*\] *//')
	echo "not ok - argo.ko loads # ${why:-insmod failed}"
	exit 1
fi
echo "ok - argo.ko loads"
va_check "argo.ko uses the $VA_PROVIDER provider" \
	sh -c "dmesg | grep -q 'argo: using the $VA_PROVIDER provider'"

if ! insmod "$VA_MODULES/argo_selftest.ko" run=1; then
	echo "not ok - argo_selftest.ko runs # insmod failed"
	exit 1
fi

log=$(dmesg | sed -n 's/^.*argo-selftest: //p')
planned=$(echo "$log" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p')
# "ok 3 name" / "not ok 3 name # why" -> "ok - name" / "not ok - name # why"
echo "$log" | sed -n 's/^\(\(not \)\{0,1\}ok\) [0-9][0-9]* /\1 - /p'
reported=$(echo "$log" | grep -c '^\(not \)\{0,1\}ok ')
if [ -z "$planned" ] || [ "$reported" -ne "$planned" ]; then
	echo "not ok - every planned case reported # planned ${planned:-none}, reported $reported"
fi

rmmod argo_selftest && rmmod argo && echo "ok - modules unload" ||
	echo "not ok - modules unload"
