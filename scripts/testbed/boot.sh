#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# boot.sh XEN VMLINUZ INITRAMFS ACPI_AML SERIAL_LOG TIMEOUT
#
# Boot Xen with VMLINUZ as PV dom0 under QEMU, no network, serial console
# (Xen's, carrying dom0's hvc0) to SERIAL_LOG, and ACPI_AML as an extra
# ACPI table. With XEN empty, boot VMLINUZ on its own instead (no
# hypervisor: the simulated Argo), its console on the serial port.
# Waits until QEMU exits (/init powers off), and ends it early when the
# log shows a panic, when /init does not start within
# E2E_BOOT_STAGE_TIMEOUT, or when a test outlives the timeout its START
# marker announced (plus a grace period). TIMEOUT bounds the whole run.
# Exit status: 0 when QEMU exited by itself, 1 otherwise; the reason is
# printed on the last line and written to SERIAL_LOG.reason.
#
# Environment:
#   XEN_ARGO_OPT       Xen's Argo option; unset: argo=1,mac-permissive=1,
#                      empty: Argo stays off
#   XEN_EXTRA_ARGS     appended to Xen's command line (e.g. flask=permissive)
#   DOM0_EXTRA_ARGS    appended to dom0's (or the lone kernel's) command line
#   E2E_ACCEL          tcg (default) or kvm, for hosts where Xen runs
#                      under nested KVM (not this one)
#   E2E_QEMU_MEM       guest RAM in MiB (default 2048: dom0_mem=1G + Xen;
#                      without Xen 1024, as much as dom0 has)
#   E2E_BOOT_STAGE_TIMEOUT  seconds to reach /init (default 300)
set -eu

xen=$1
vmlinuz=$2
initramfs=$3
acpi_aml=$4
log=$5
limit=$6

case "$xen$vmlinuz$initramfs" in
*,* | *' '*) echo "boot: image paths must not contain commas or spaces" >&2; exit 2 ;;
esac
if [ -n "$xen" ]; then
	argo_opt=${XEN_ARGO_OPT-argo=1,mac-permissive=1}
	# smap=0: under TCG, dom0 dies at once in create_bounce_frame without it.
	# A larger serial buffer: Xen drops console output when it fills up.
	xen_args="console=com1 com1=115200,8n1 dom0_mem=1G,max:1G $argo_opt smap=0"
	xen_args="$xen_args noreboot serial_tx_buffer=256k ${XEN_EXTRA_ARGS:-}"
	dom0_args="console=hvc0 earlyprintk=xen ${DOM0_EXTRA_ARGS:-}"
	echo "boot: xen $xen_args" >&2
	echo "boot: dom0 $dom0_args" >&2
	# In -initrd a comma separates modules, and ",," is a literal comma.
	images=(-kernel "$xen" -append "$xen_args"
		-initrd "$vmlinuz ${dom0_args//,/,,},$initramfs")
	mem=${E2E_QEMU_MEM:-2048}
else
	kernel_args="console=ttyS0,115200 ${DOM0_EXTRA_ARGS:-}"
	echo "boot: kernel $kernel_args" >&2
	images=(-kernel "$vmlinuz" -append "$kernel_args" -initrd "$initramfs")
	mem=${E2E_QEMU_MEM:-1024}
fi

case ${E2E_ACCEL:-tcg} in
tcg) accel=(-accel "tcg,thread=multi" -cpu max) ;;
kvm) accel=(-accel kvm -cpu host) ;;
*) echo "boot: E2E_ACCEL must be tcg or kvm" >&2; exit 2 ;;
esac

: >"$log"
rm -f "$log.reason"
# -nodefaults: no NIC, no VGA; -no-reboot: a reboot ends QEMU too.
timeout -k 10 "$limit" qemu-system-x86_64 -nodefaults -no-reboot \
	"${accel[@]}" -machine pc -smp 2 -m "$mem" \
	-display none -monitor none -serial "file:$log" \
	-acpitable "file=$acpi_aml" "${images[@]}" </dev/null &
qemu_pid=$!

stop() {
	echo "$1" >"$log.reason"
	kill -TERM "$qemu_pid" 2>/dev/null || true
}

started=$(date +%s)
stage_limit=${E2E_BOOT_STAGE_TIMEOUT:-300}
reason=
last_marker=
marker_seen_at=$started
while kill -0 "$qemu_pid" 2>/dev/null; do
	sleep 1
	now=$(date +%s)
	if [ -z "$reason" ]; then
		if grep -aq 'Panic on CPU' "$log"; then
			reason="Xen panicked"
		elif grep -aq 'Kernel panic - not syncing' "$log"; then
			reason="dom0 kernel panicked"
		elif grep -aq 'Hardware Dom0 crashed' "$log"; then
			reason="Xen reported that dom0 crashed"
		fi
		# Let the rest of the panic reach the log.
		[ -n "$reason" ] && { sleep 3; stop "$reason"; continue; }
	fi
	marker=$(grep -a -o '@@E2E-[A-Z]*.*' "$log" | tail -n 1 | tr -d '\r')
	if [ "$marker" != "$last_marker" ]; then
		last_marker=$marker
		marker_seen_at=$now
	fi
	case $marker in
	'')
		if [ $((now - started)) -ge "$stage_limit" ] && [ -z "$reason" ]; then
			reason="no /init marker after $stage_limit s"
			stop "$reason"
		fi
		;;
	'@@E2E-START '*' timeout='[0-9]*)
		test_limit=${marker##*timeout=}
		if [ $((now - marker_seen_at)) -ge $((test_limit + 60)) ] && [ -z "$reason" ]; then
			reason="test ${marker#@@E2E-START } did not end"
			stop "$reason"
		fi
		;;
	'@@E2E-DONE'* | '@@E2E-POWEROFF-FAILED'*)
		if [ $((now - marker_seen_at)) -ge 30 ] && [ -z "$reason" ]; then
			reason="QEMU still running 30 s after the tests ended"
			stop "$reason"
		fi
		;;
	esac
done
rc=0
wait "$qemu_pid" || rc=$?
if [ -z "$reason" ] && [ "$rc" -eq 124 ]; then
	reason="timed out after $limit s"
	echo "$reason" >"$log.reason"
fi
if [ -n "$reason" ]; then
	echo "boot: stopped: $reason" >&2
	exit 1
fi
if [ "$rc" -ne 0 ]; then
	echo "QEMU exited with status $rc" >"$log.reason"
	echo "boot: QEMU exited with status $rc" >&2
	exit 1
fi
echo "boot: QEMU exited after $(($(date +%s) - started)) s" >&2
