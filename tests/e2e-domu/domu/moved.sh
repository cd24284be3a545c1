#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The device moves: dom0 (20-restart.sh) serves the disk at a new address
# and tells the guest the new description. The new address is a new port
# of dom0, since dom0 cannot change its domain id; the transport treats a
# new domain id the same way, as a new device= value. The guest sees its
# I/O fail; a description naming a domain that no longer exists fails at
# probe, at once, with ESRCH; reloading the transport with the new
# description gives the disk back with its data. Runs after restart.sh.
# domu-timeout: 240
set -u
. /tests/domu/lib.sh

pattern=/tmp/pattern
if ! vd=$(va_disk) || [ ! -f "$pattern" ]; then
	echo "not ok - a disk with known blocks from restart.sh # $(va_dmesg)"
	exit 1
fi
va_event moving
if ! desc=$(va_wait_dom0 moved 180); then
	echo "not ok - dom0 moves the device side # no word from dom0"
	exit 1
fi
new=${desc%% *}
gone=${desc#* }
echo "moved: new description $new, a domain that is gone: $gone"
va_check "I/O to the old address fails" \
	sh -c "! timeout 60 dd if=/dev/$vd of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null"
va_check "the transport unloads" timeout 30 rmmod virtio_argo

# The old backend's domain destroyed: its id names no domain any more.
dmesg -c >/dev/null
VA_DEVICES="$gone:${new#*:}" va_load_transport
line=$(dmesg | grep -m 1 'cannot register ring')
echo "moved: $line"
case $line in
*"for domain $gone: -3") echo "ok - a description naming a gone domain fails at probe with ESRCH" ;;
*) echo "not ok - a description naming a gone domain fails at probe with ESRCH # got: $(echo "$line" | tr '#' ' ')" ;;
esac
va_check "the transport unloads again" timeout 30 rmmod virtio_argo

# shellcheck disable=SC2034 # read by va_load_transport
VA_DEVICES=$new
if ! va_load_transport || ! va_wait_for va_disk 30; then
	echo "not ok - the disk comes back from the new description # $(va_dmesg)"
	exit 1
fi
vd=$(va_disk)
echo "ok - the disk comes back from the new description"
va_check "the blocks written before the move read back intact" \
	sh -c "dd if=/dev/$vd bs=4096 count=64 iflag=direct 2>/dev/null | cmp - $pattern"
