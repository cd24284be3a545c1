# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash disable=SC2034 # busybox sh; variables for the scripts
#
# Helpers of the cross-domain end-to-end scripts (sourced, not run). They
# run in dom0, where the device side lives, and start PV domUs with xl; a
# domU runs the scripts of its /tests/domu (tests/e2e-domu/domu) named by
# "va.run=" and reports on its console, which xenconsoled logs
# (scripts/testbed-domu/domu-init describes the protocol).

VA_DOMU_IMAGES=/var/lib/virtio-argo/domu
VA_CONSOLE_LOGS=/var/log/xen/console
# Argo ports of the devices dom0 serves to the domUs.
VA_BLK_PORT=0x10000
VA_RNG_PORT=0x20000
VA_CON_PORT=0x30000
VA_BLK_MOVED_PORT=0x11000

# va_check and the other checks every test image shares.
. /tests/e2e/lib-checks.sh

# va_domu_create NAME CMDLINE [CONFIG_LINE...]: create a PV domU running
# the test bed's kernel and domU ramdisk, paused, and print its domid.
# CMDLINE is added to its kernel command line.
va_domu_create() {
	local name cmdline cfg line
	name=$1
	cmdline=$2
	shift 2
	cfg=/tmp/$name.cfg
	{
		echo "name = \"$name\""
		echo "type = \"pv\""
		echo "kernel = \"$VA_DOMU_IMAGES/vmlinuz\""
		echo "ramdisk = \"$VA_DOMU_IMAGES/initramfs.cpio\""
		echo "extra = \"console=hvc0 $cmdline\""
		echo "memory = 256"
		# One vCPU on the physical CPU dom0 leaves free (see
		# scripts/e2e-domu.sh): vCPUs of two domains taking turns on
		# one CPU corrupt user processes under QEMU's TCG.
		echo "vcpus = 1"
		echo 'cpus = "1"'
		echo 'on_poweroff = "destroy"'
		echo 'on_crash = "destroy"'
		for line in "$@"; do
			echo "$line"
		done
	} >"$cfg"
	rm -f "$VA_CONSOLE_LOGS/guest-$name.log"
	xl create -p "$cfg" >"/tmp/$name.create.log" 2>&1 || {
		sed 's/^/xl create: /' "/tmp/$name.create.log" >&2
		return 1
	}
	xl domid "$name"
}

va_domu_log() {
	echo "$VA_CONSOLE_LOGS/guest-$1.log"
}

# Seconds since dom0 booted.
va_uptime() {
	read -r up _ </proc/uptime
	echo "${up%%.*}"
}

# Wait up to $3 seconds for domU $1's console to show a line holding $2,
# and print the first such line.
va_domu_wait() {
	local log end
	log=$(va_domu_log "$1")
	end=$(($(va_uptime) + $3))
	while ! grep -a -m 1 -- "$2" "$log" 2>/dev/null; do
		[ "$(va_uptime)" -ge "$end" ] && return 1
		sleep 1
	done
}

# Send "@@DOM0 $2" to domU $1's console, where va_wait_dom0 reads it.
va_domu_send() {
	local domid tty
	domid=$(xl domid "$1") || return 1
	tty=$(xenstore-read "/local/domain/$domid/console/tty") || return 1
	printf '@@DOM0 %s\n' "$2" >"$tty"
}

# va_domu_results NAME TIMEOUT: wait for domU NAME to finish its scripts,
# then print its results as this script's, named "domU/<script>/<case>",
# and one "not ok" for each script that did not end well. Returns 1 if
# it did not finish in time.
va_domu_results() {
	local log
	log=$(va_domu_log "$1")
	if ! va_domu_wait "$1" '@@DOMU-DONE' "$2" >/dev/null; then
		echo "not ok - domU $1 finished within $2 s # last lines: $(tail -n 5 "$log" 2>/dev/null | tr -d '\r' | tr '\n#' '  ' | cut -c 1-300)"
		return 1
	fi
	tr -d '\r' <"$log" | awk '
		function strip(s) { sub(/^[ \t]*-?[ \t]*/, "", s); return s }
		{ at = index($0, "@@DOMU-"); if (!at) next
		  n = split(substr($0, at + 7), f, " ") }
		f[1] == "R" {
			line = substr($0, at + 7 + length("R " f[2] " "))
			if (line ~ /^not ok/)
				print "not ok - domU/" f[2] "/" strip(substr(line, 7))
			else
				print "ok - domU/" f[2] "/" strip(substr(line, 3))
			got[f[2]]++
		}
		f[1] == "END" {
			want = 0; status = ""
			for (i = 3; i <= n; i++) {
				if (f[i] ~ /^results=/) want = substr(f[i], 9) + 0
				if (f[i] ~ /^status=/) status = substr(f[i], 8)
			}
			if (status != "exited")
				print "not ok - domU/" f[2] " # " status
			else if (want == 0)
				print "not ok - domU/" f[2] " # printed no result"
			else if (got[f[2]] + 0 != want)
				print "not ok - domU/" f[2] "/console # " want \
					" results announced, " got[f[2]] + 0 " received"
		}'
}

# Destroy domU $1 if it still exists, and wait until it is gone.
va_domu_destroy() {
	local i
	xl destroy "$1" 2>/dev/null
	i=0
	while xl domid "$1" >/dev/null 2>&1 && [ "$i" -lt 20 ]; do
		sleep 1
		i=$((i + 1))
	done
	! xl domid "$1" >/dev/null 2>&1
}
