#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A guest that the FLASK policy does not allow to use Argo with dom0
# (dom0's 50-flask.sh): loading the transport must fail every device at
# probe, at once and with a clear kernel log line, before anything is sent
# (the first Argo operation of a probe is registering the guest's own
# rings, which the policy refuses).
# domu-timeout: 90
set -u
. /tests/domu/lib.sh

modprobe virtio_rng
read -r t0 _ </proc/uptime
va_check "the transport module loads" va_load_transport
read -r t1 _ </proc/uptime
ms=$(( (${t1%.*}${t1#*.} - ${t0%.*}${t0#*.}) * 10 ))
echo "denied: modprobe virtio_argo took $ms ms"
line=$(dmesg | grep -m 1 'cannot register ring')
echo "denied: $line"
echo "denied: $(dmesg | grep -m 1 'no device at')"
case $line in
*': -13') echo "ok - the probe fails with EACCES from the policy" ;;
*) echo "not ok - the probe fails with EACCES from the policy # got: $(echo "$line" | tr '#' ' ')" ;;
esac
va_check "the probe says which device failed" sh -c "dmesg | grep -q 'no device at 0:'"
va_check "it fails at once, not after a timeout ($ms ms)" [ "$ms" -lt 3000 ]
va_check "no virtio device was created" [ -z "$(ls /sys/bus/virtio/devices)" ]
va_check "no virtio hwrng registered" \
	sh -c "! grep -q virtio /sys/class/misc/hw_random/rng_available"
va_check "the transport unloads" rmmod virtio_argo
