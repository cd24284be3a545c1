# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash # busybox sh, which has "local"
#
# Helpers of the scripts run inside the test bed's PV domU (sourced).
# VA_DEVICES holds the virtio_argo device= values dom0 gave on the kernel
# command line (scripts/testbed-domu/domu-init).

# va_check and the other checks every test image shares.
. /tests/e2e/lib-checks.sh

# Tell dom0 something, on the console it reads: va_event WORD [TEXT].
va_event() {
	echo "@@DOMU-EVENT $*" >/dev/console
}

# Wait up to $2 seconds for dom0 to write "@@DOM0 $1 [TEXT]" to the
# console, and print TEXT.
va_wait_dom0() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout "$2" sh -c '
		while read -r line; do
			case $line in
			*"@@DOM0 $0"*) echo "${line#*@@DOM0 $0}" | sed "s/^ //"; exit 0 ;;
			esac
		done
		exit 1' "$1" </dev/console
}

# Load the transport with every device of VA_DEVICES.
va_load_transport() {
	local args dev
	args=
	for dev in $VA_DEVICES; do
		args="$args device=$dev"
	done
	# shellcheck disable=SC2086 # one parameter per word
	modprobe virtio_argo $args
}

# Wait up to $2 seconds for the command "$1" to succeed.
va_wait_for() {
	local i
	i=0
	while ! eval "$1" >/dev/null 2>&1; do
		[ "$i" -ge "$2" ] && return 1
		sleep 1
		i=$((i + 1))
	done
}

# The transport's lines in the kernel log, on one line (for reasons).
va_dmesg() {
	dmesg | grep -i 'argo' | tail -n "${1:-3}" | sed 's/^\[[^]]*\] *//' |
		tr '\n' ' ' | tr '#' ' '
}

# The tty of the first virtio-console port (hvc0 is Xen's console).
va_console_tty() {
	local n
	for n in 1 2 3 4 5 6 7; do
		if stty -F "/dev/hvc$n" >/dev/null 2>&1; then
			echo "/dev/hvc$n"
			return 0
		fi
	done
	return 1
}

# Probe platform device $1 afresh: unbind (if bound), then bind.
va_reprobe_dev() {
	local drv=/sys/bus/platform/drivers/virtio-argo
	[ -e "$drv/$1" ] && echo "$1" >"$drv/unbind"
	echo "$1" >"$drv/bind"
}

# The first virtio disk's name (vda, vdb, ...), if there is one.
va_disk() {
	local d
	for d in /sys/block/vd*; do
		[ -e "$d" ] && basename "$d" && return 0
	done
	return 1
}

# Status byte of the virtio device behind disk $1, as a number.
va_disk_status() {
	local s
	s=$(cat "/sys/block/$1/device/status" 2>/dev/null) || return 1
	echo $((s))
}

# Wait up to $2 seconds for process $1 to end.
va_wait_exit() {
	local i=0
	while kill -0 "$1" 2>/dev/null; do
		[ "$i" -ge "$2" ] && return 1
		sleep 1
		i=$((i + 1))
	done
}
