#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The test bed's SSDT (scripts/acpi/gen-ssdt.sh) reaches dom0: one ACPI
# device ARGO0001:NN per entry of $VA_ACPI_DEVICES, each with a platform
# device for the transport's driver to bind, and the _DSD properties in
# the table. Runs before any project module is loaded.
# e2e-timeout: 60
set -u

acpi=/sys/bus/acpi/devices
platform=/sys/bus/platform/devices

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $1 # $2"; }

if [ -d "$acpi/ARGO0001:00" ]; then
	ok acpi-device
else
	not_ok acpi-device "no $acpi/ARGO0001:00 (is -acpitable passed to QEMU?)"
fi

hid=$(cat "$acpi/ARGO0001:00/hid" 2>/dev/null || true)
if [ "$hid" = ARGO0001 ]; then
	ok acpi-hid
else
	not_ok acpi-hid "hid is '$hid'"
fi

# The ACPI core creates a platform device named after the ACPI device;
# its firmware node must be that ACPI device.
fwnode=$(readlink -f "$platform/ARGO0001:00/firmware_node" 2>/dev/null || true)
if [ -n "$fwnode" ] && [ "$fwnode" = "$(readlink -f "$acpi/ARGO0001:00")" ]; then
	ok platform-device
else
	not_ok platform-device "no $platform/ARGO0001:00 with the ACPI device as firmware node"
fi

# One device per entry of the device list the table was generated from.
if [ -r "${VA_ACPI_DEVICES:-}" ]; then
	expected=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$VA_ACPI_DEVICES" | wc -l)
	found=$(find "$acpi/" -maxdepth 1 -name "ARGO0001:*" | wc -l)
	if [ "$expected" -eq "$found" ]; then
		ok "device-count ($found)"
	else
		not_ok device-count "$found ARGO0001 devices, the table lists $expected"
	fi
else
	ok "device-count # SKIP no device list in VA_ACPI_DEVICES"
fi

# sysfs does not show _DSD properties: look for their names in the table.
table=
for t in /sys/firmware/acpi/tables/SSDT* /sys/firmware/acpi/tables/dynamic/SSDT*; do
	[ -r "$t" ] && grep -q ARGO0001 "$t" && table=$t && break
done
if [ -z "$table" ]; then
	not_ok dsd-properties "no SSDT holding ARGO0001 under /sys/firmware/acpi/tables"
else
	missing=
	for name in backend-domid backend-port virtio-device-id num-queues queue-size-max; do
		grep -q "$name" "$table" || missing="$missing $name"
	done
	if [ -z "$missing" ]; then
		ok dsd-properties
	else
		not_ok dsd-properties "$table lacks:$missing"
	fi
fi
