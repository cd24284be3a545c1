#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Mandatory access control: Xen with FLASK enforcing the test bed's policy
# (scripts/flask: Xen's example policy without its "every domain may use
# Argo with every other" rules, plus virtio_argo.te). dom0 serves devices
# to two PV domUs the same way; only the labels differ:
#  - va-allowed, labelled virtio_argo_guest_t: its disk and rng work;
#  - va-denied, the default domU_t: its probe fails at once with EACCES,
#    and Xen's log shows only the ring registration it refused, no send;
#  - va-noargo, isolated_domU_t (of Xen's example policy), which has no
#    Argo at all: argo.ko refuses to load, naming EACCES.
# The domUs run one after the other: on this test bed each domU gets the
# CPU dom0 does not use, and two domUs would have to share it.
#
# e2e-domu-variants: xsm
# e2e-timeout: 600
set -u
. /tests/e2e/lib-domu.sh

policy=/var/lib/virtio-argo/flask/virtio-argo.policy
VA_DENIED_PORT=0x21000
img=/tmp/va-flask.img
dd if=/dev/zero of="$img" bs=1M count=64 2>/dev/null

mode=$(xl getenforce 2>&1)
if [ "$mode" != Enforcing ]; then
	echo "not ok - Xen has FLASK enforcing # xl getenforce: $mode"
	exit 1
fi
echo "ok - Xen has FLASK enforcing"
va_check "xl loadpolicy the virtio-argo policy" xl loadpolicy "$policy"
xl dmesg -c >/dev/null

allowed=va-allowed
denied=va-denied
if ! a=$(va_domu_create "$allowed" \
	"va.devices=0:$VA_BLK_PORT:2,0:$VA_RNG_PORT:4 va.run=load,blk,rng,unload" \
	'seclabel = "system_u:system_r:virtio_argo_guest_t"'); then
	echo "not ok - domU $allowed created with label virtio_argo_guest_t"
	exit 1
fi
echo "ok - domU $allowed created with label virtio_argo_guest_t"
if ! d=$(va_domu_create "$denied" "va.devices=0:$VA_DENIED_PORT:4 va.run=denied"); then
	echo "not ok - domU $denied created with the default label"
	va_domu_destroy "$allowed"
	exit 1
fi
echo "ok - domU $denied created with the default label"
noargo=va-noargo
if ! n=$(va_domu_create "$noargo" "va.devices=0:$VA_DENIED_PORT:4 va.run=noargo" \
	'seclabel = "system_u:system_r:isolated_domU_t"'); then
	echo "not ok - domU $noargo created with label isolated_domU_t"
	va_domu_destroy "$allowed"
	va_domu_destroy "$denied"
	exit 1
fi
echo "ok - domU $noargo created with label isolated_domU_t (domain $n)"
xl list -Z

# The device side itself is allowed both: only the guests' labels differ.
if ! modprobe virtio_argo_backend frontend="$a" \
	devices="blk:port=$VA_BLK_PORT,file=$img;rng:port=$VA_RNG_PORT;rng:port=$VA_DENIED_PORT,frontend=$d"; then
	echo "not ok - device side loads for both domUs # $(dmesg | tail -n 2 | tr '\n' ' ')"
	va_domu_destroy "$allowed"
	va_domu_destroy "$denied"
	va_domu_destroy "$noargo"
	exit 1
fi
echo "ok - device side loads for both domUs"

xl unpause "$allowed"
va_domu_results "$allowed" 300
va_domu_destroy "$allowed"
xl unpause "$denied"
va_domu_results "$denied" 120
va_domu_destroy "$denied"
xl unpause "$noargo"
va_domu_results "$noargo" 120
va_domu_destroy "$noargo"

xl dmesg >/tmp/xen.log
grep 'avc:' /tmp/xen.log
grep 'avc:  denied' /tmp/xen.log | grep 'tclass=argo' >/tmp/denials
va_check "Xen refused $denied's ring registration for dom0" \
	sh -c "grep 'register_single_source' /tmp/denials | grep -q 'scontext=system_u:system_r:domU_t'"
va_check "Xen saw no send from $denied" sh -c "! grep -q '{ send }' /tmp/denials"
va_check "Xen refused nothing to $allowed" \
	sh -c "! grep -q 'virtio_argo_guest_t' /tmp/denials"
va_check "Xen refused $noargo the use of Argo" \
	sh -c "grep '{ enable }' /tmp/denials | grep -q 'isolated_domU_t'"
va_check "device side unloads" rmmod virtio_argo_backend
for n in "$allowed" "$denied" "$noargo"; do
	echo "flask: domU $n console log follows"
	tr -d '\r' <"$(va_domu_log "$n")" | sed "s/^/$n: /"
done
