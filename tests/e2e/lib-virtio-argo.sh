# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers shared by the virtio-argo end-to-end scripts (sourced, not run).
# The device side and the transport both run in dom0: Argo lets a domain
# send to itself, so this is the whole data path over the real hypervisor.

# Load the device side serving $1 (its devices= value) to dom0 itself.
va_backend_load() {
	modprobe virtio_argo_backend frontend=0 devices="$1"
}

# Wait up to $2 seconds for block device $1 to appear in sysfs.
va_wait_block() {
	i=0
	while [ ! -e "/sys/block/$1" ] && [ "$i" -lt "$2" ]; do
		sleep 1
		i=$((i + 1))
	done
	[ -e "/sys/block/$1" ]
}

# Print "ok - $1" if the rest of the arguments succeed, else "not ok".
va_check() {
	name=$1
	shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name # failed: $*"
	fi
}
