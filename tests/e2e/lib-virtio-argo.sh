# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers shared by the virtio-argo end-to-end scripts (sourced, not run).
# The device side and the transport both run in dom0: Argo lets a domain
# send to itself, so this is the whole data path over the real hypervisor
# ("make e2e"), or over argo.ko's simulation of it ("make e2e-sim", where
# the VM's kernel is domain 0 and VA_PROVIDER=sim).

# va_check and the other checks every test image shares.
. /tests/e2e/lib-checks.sh

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


# Seconds since boot: a deadline in loops that must not stretch when the
# test bed runs slowly.
va_uptime() {
	read -r up _ </proc/uptime
	echo "${up%%.*}"
}

# Print the first virtio disk's name once one is in sysfs, within $1
# seconds. A disk still held open keeps its name, so a re-probed device
# may come back under another one.
va_wait_vd() {
	end=$(($(va_uptime) + $1))
	while :; do
		for d in /sys/block/vd*; do
			[ -e "$d" ] && { echo "${d#/sys/block/}"; return 0; }
		done
		[ "$(va_uptime)" -ge "$end" ] && return 1
		sleep 1
	done
}

# Wait up to $2 seconds for process $1 to exit; false if it is still there.
va_wait_exit() {
	end=$(($(va_uptime) + $2))
	while kill -0 "$1" 2>/dev/null; do
		[ "$(va_uptime)" -ge "$end" ] && return 1
		sleep 1
	done
	return 0
}

# Platform devices the transport is bound to, one name a line.
va_platform_devs() {
	for d in /sys/bus/platform/drivers/virtio-argo/*; do
		[ -L "$d/driver" ] && basename "$d"
	done
	return 0
}

# Probe every device of the transport afresh, unbinding and binding it
# again, within $1 seconds.
va_reprobe() {
	drv=/sys/bus/platform/drivers/virtio-argo
	devs=$(va_platform_devs)
	[ -n "$devs" ] || return 1
	for dev in $devs; do
		timeout "$1" sh -c "echo $dev >$drv/unbind && echo $dev >$drv/bind" ||
			return 1
	done
}

# Status byte of the virtio device behind disk $1, as sysfs shows it (hex).
va_virtio_status() {
	cat "/sys/block/$1/device/status" 2>/dev/null
}

# The hung-task detector's first report in this script's kernel log (init
# cleared the ring buffer before the script), if any.
va_hung_tasks() {
	dmesg | grep -m 1 'blocked for more than' |
		sed -e 's/^\[[^]]*\] *//' -e 's/#/ /g' | cut -c 1-160
}

# Report hung tasks after $1 seconds instead of 120 (or 0 to restore the
# saved value), so a task stuck on a dead device shows within a test.
va_hung_task_timeout() {
	f=/proc/sys/kernel/hung_task_timeout_secs
	[ -w "$f" ] || return 0
	if [ "$1" = 0 ]; then
		[ -n "${va_hung_saved:-}" ] && echo "$va_hung_saved" >"$f"
	else
		va_hung_saved=${va_hung_saved:-$(cat "$f")}
		echo "$1" >"$f"
	fi
}

# Mount debugfs unless it is there; true if the transport has counters.
va_debugfs() {
	grep -qs ' /sys/kernel/debug ' /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	[ -d /sys/kernel/debug/virtio-argo ]
}

# The transport's debugfs counters as "file:value" lines (file names
# relative to its directory), or nothing when it has none.
va_transport_counters() {
	va_debugfs || return 0
	grep -r . /sys/kernel/debug/virtio-argo | sed 's|^/sys/kernel/debug/virtio-argo/||'
}

# Set variable $1 to counter $3 of the transport's device behind disk $2
# (its debugfs directory is named after the platform device), or to
# nothing without one. Starts no process: each costs much under TCG in a
# PV dom0.
va_read_counter() {
	eval "$1="
	[ -d /sys/kernel/debug/virtio-argo ] || va_debugfs || return 0
	here=$PWD
	cd -P "/sys/block/$2/device/.." 2>/dev/null || return 0
	f=/sys/kernel/debug/virtio-argo/${PWD##*/}/$3
	cd "$here" || return 1
	[ -r "$f" ] && read -r "${1?}" <"$f"
	return 0
}

# Write $2 numbered 4 KiB blocks to file $1: block N repeats the line
# "virtio-argo block N", so a block that is lost or misplaced shows.
va_numbered_blocks() {
	awk -v n="$2" 'BEGIN {
		for (b = 0; b < n; b++) {
			s = "virtio-argo block " b "\n"
			while (length(s) < 4096)
				s = s s
			printf "%s", substr(s, 1, 4096)
		}
	}' >"$1"
}

# Check that the first $3 blocks of disk $1 are those of pattern file $2;
# on a difference, say which block differs.
va_blocks_intact() {
	[ "$3" -gt 0 ] || return 0
	dd if="/dev/$1" of=/tmp/va-got bs=4096 count="$3" iflag=direct 2>/dev/null
	head -c $(($3 * 4096)) "$2" >/tmp/va-want
	if ! diff=$(cmp /tmp/va-got /tmp/va-want 2>&1); then
		byte=${diff##*char }
		byte=${byte%%,*}
		case $byte in
		*[!0-9]* | '') echo "blocks differ: $diff" >&2 ;;
		*) echo "block $(((byte - 1) / 4096)) differs: $diff" >&2 ;;
		esac
		return 1
	fi
	rm -f /tmp/va-got /tmp/va-want
}
