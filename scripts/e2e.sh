#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e.sh [default|xsm]: the real-Xen test bed ("make e2e").
#
# Builds Xen with Argo (scripts/testbed/build-xen.sh; the argument picks
# the variant, default "default"), then for each dom0 kernel: fetches
# Debian's image, builds the project's modules against it, builds an
# initramfs, boots Xen + dom0 under QEMU (TCG) and turns the serial log
# into build/results/e2e-<kver>.tap. Exits non-zero if anything failed.
# Downloads and builds are cached under ${XDG_CACHE_HOME:-~/.cache}/virtio-argo.
#
# Environment:
#   E2E_KERNELS       kernels to test: kernel versions or their pins.env
#                     names' suffixes ("6.1 6.12"); default: every
#                     KERNEL_* in scripts/pins.env
#   XEN_ARGO_OPT      Argo option on Xen's command line; default
#                     argo=1,mac-permissive=1; set it empty to boot
#                     without Argo
#   XEN_EXTRA_ARGS, DOM0_EXTRA_ARGS   more command line (boot.sh)
#   E2E_TEST_TIMEOUT  default per-script timeout in seconds (300)
#   TESTS_DIR         test scripts to run (default tests/e2e)
#   E2E_MODULES       "build" (default) or "none" to skip the module build
#                     and boot with no project module
#   E2E_ACPI_DEVICES  device list for the SSDT (scripts/acpi/testbed.devices)
#   E2E_ACCEL         tcg (default) or kvm
#
# Test-script contract (tests/e2e/README says more). Adding a test means
# adding a script; this harness needs no edit.
#  - Every TESTS_DIR/NN-name.sh runs in dom0, in lexical order, with sh
#    (busybox), as root, in an empty scratch directory, after /init has
#    loaded the stock modules of scripts/testbed/modules.list and mounted
#    proc, sys, devtmpfs, devpts, tmpfs on /tmp and xenfs on /proc/xen.
#    Other files in TESTS_DIR are there too (as /tests/e2e) for helpers.
#  - Environment: VA_MODULES=/lib/virtio-argo (the project's .ko files,
#    flattened; also installed under /lib/modules/$VA_KERNEL/updates so
#    modprobe resolves their dependencies), VA_KERNEL=$(uname -r),
#    VA_ACPI_DEVICES (the device list the SSDT was generated from).
#  - Result lines on stdout: "ok - <case>", "not ok - <case> # <reason>",
#    "ok - <case> # SKIP <reason>". Any other output is only logged.
#  - Per-script timeout: E2E_TEST_TIMEOUT, or "# e2e-timeout: N" in the
#    script's header. Each of these is one "not ok": a timeout, exiting
#    without any result line, exiting non-zero when no result failed, a
#    kernel WARNING/Oops/BUG while it ran (unless its header says
#    "# e2e-kernel-log: ignore").
#  - Results become "ok N - e2e/<kver>/<script>/<case>" in
#    build/results/e2e-<kver>.tap; a boot that fails gives a "not ok"
#    line naming the failed stage (xen-boot, dom0-boot, module-load,
#    test, shutdown). Logs: build/e2e/<kver>/ (serial.log,
#    build-modules.log).
# dom0 sends results over its console (hvc0, through Xen's serial port
# into the serial log) framed by markers: see scripts/testbed/init.
set -eu -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/testbed/common.sh
. "$top/scripts/testbed/common.sh"

variant=${1:-${E2E_XEN_VARIANT:-default}}
tests_dir=${TESTS_DIR:-$top/tests/e2e}
acpi_devices=${E2E_ACPI_DEVICES:-$top/scripts/acpi/testbed.devices}
results=$top/build/results
work=$top/build/e2e
mkdir -p "$results" "$work"
rm -f "$results"/e2e*.tap "$work/timings"

# Map E2E_KERNELS to "kver pkg-version" pairs from pins.env.
pinned_kernels() {
	sed -n 's/^\(KERNEL_[0-9_]*\)=.*/\1/p' "$top/scripts/pins.env"
}
kernels=
for want in ${E2E_KERNELS:-$(for pin in $(pinned_kernels); do eval echo "\$$pin"; done)}; do
	found=
	for pin in $(pinned_kernels); do
		eval "kver=\$$pin pkg=\${${pin}_PKG_VERSION:-}"
		if [ "$want" = "$kver" ] || [ "KERNEL_$(echo "$want" | tr . _)" = "$pin" ]; then
			found="$kver=$pkg"
		fi
	done
	[ -n "$found" ] || die "E2E_KERNELS: '$want' is not a kernel pinned in scripts/pins.env"
	kernels="$kernels $found"
done

timing() {
	printf '%-28s %4d s\n' "$1" "$2" | tee -a "$work/timings" >&2
}

# write_tap KVER LINES: number the unnumbered TAP lines into the results.
write_tap() {
	{
		echo "# e2e on $1, Xen $XEN_SRC_VERSION ($variant), argo option '${XEN_ARGO_OPT-argo=1,mac-permissive=1}'"
		printf '%s\n' "$2" | awk '
			/^(ok|not ok) - / { n++; sub(/ - /, " " n " - "); print; next }
			{ print }
			END { print "1.." n }'
	} >"$results/e2e-$1.tap"
}

# The script names /init will run, in its order.
test_names() {
	for script in "$tests_dir"/[0-9]*.sh; do
		[ -f "$script" ] && basename "$script" .sh
	done
	return 0
}

# Host-side bound for one boot: every script's timeout, plus boot time.
boot_limit() {
	total=${E2E_BOOT_STAGE_TIMEOUT:-300}
	for script in "$tests_dir"/[0-9]*.sh; do
		[ -f "$script" ] || continue
		t=$(sed -n 's/^#[[:space:]]*e2e-timeout:[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
			"$script" | head -n 1)
		total=$((total + ${t:-${E2E_TEST_TIMEOUT:-300}} + 15))
	done
	echo $((total + 120))
}

fail_all() {
	for pair in $kernels; do
		write_tap "${pair%%=*}" "not ok - e2e/${pair%%=*}/$1 # $2"
	done
	exit 1
}

started=$(now)
t0=$(now)
xen=$(nice "$testbed/build-xen.sh" "$variant" | tail -n 1) ||
	fail_all xen-build "building Xen ($variant) failed"
timing "xen build ($variant)" $(($(now) - t0))

aml=$work/testbed-ssdt.aml
"$top/scripts/acpi/gen-ssdt.sh" -o "$aml" "$acpi_devices" ||
	fail_all acpi-table "gen-ssdt.sh failed on $acpi_devices"

tests=$(test_names | tr '\n' ' ')
for pair in $kernels; do
	kver=${pair%%=*}
	pkg=${pair#*=}
	out=$work/$kver
	rm -rf "$out"
	mkdir -p "$out"
	tap=

	t0=$(now)
	if ! tree=$("$testbed/fetch-kernel.sh" "$kver" "$pkg" | tail -n 1); then
		write_tap "$kver" "not ok - e2e/$kver/kernel-fetch # linux-image-$kver=$pkg"
		continue
	fi
	timing "kernel fetch ($kver)" $(($(now) - t0))

	t0=$(now)
	modules_dir=
	if [ "${E2E_MODULES:-build}" = none ]; then
		tap="ok - e2e/$kver/build-modules # SKIP E2E_MODULES=none"
	elif nice "$top/scripts/build-modules.sh" "$kver" >"$out/modules.path" \
		2>"$out/build-modules.log"; then
		modules_dir=$(tail -n 1 "$out/modules.path")
		tap="ok - e2e/$kver/build-modules"
	else
		# Run the other tests anyway, with no project module.
		tail -n 20 "$out/build-modules.log" >&2
		tap="not ok - e2e/$kver/build-modules # failed, see $out/build-modules.log"
	fi
	timing "module build ($kver)" $(($(now) - t0))

	t0=$(now)
	if ! "$testbed/mkinitramfs.sh" "$kver" "$tree" "$modules_dir" "$tests_dir" \
		"$acpi_devices" "$out/initramfs.cpio"; then
		write_tap "$kver" "$tap"$'\n'"not ok - e2e/$kver/initramfs # mkinitramfs.sh failed"
		continue
	fi
	timing "initramfs ($kver)" $(($(now) - t0))

	t0=$(now)
	log=$out/serial.log
	"$testbed/boot.sh" "$xen" "$tree/boot/vmlinuz-$kver" "$out/initramfs.cpio" \
		"$aml" "$log" "$(boot_limit)" || true
	timing "boot + tests ($kver)" $(($(now) - t0))

	reason=$(cat "$log.reason" 2>/dev/null || true)
	lines=$(awk -v kver="$kver" -v tests="$tests" -v reason="$reason" \
		-f "$testbed/serial-to-tap.awk" "$log")
	write_tap "$kver" "$tap"$'\n'"$lines"
	if ! grep -aq '@@E2E-DONE' "$log"; then
		echo "e2e: $kver: the boot failed:" >&2
		printf '%s\n' "$lines" | grep 'stage ' >&2 || true
		echo "e2e: last 60 lines of $log:" >&2
		tail -n 60 "$log" | tr -d '\r' >&2
	fi
	echo "e2e: $kver: $(grep -c '^ok ' "$results/e2e-$kver.tap" || true) ok," \
		"$(grep -c '^not ok ' "$results/e2e-$kver.tap" || true) not ok" \
		"($results/e2e-$kver.tap, log $log)" >&2
done
timing "e2e total" $(($(now) - started))

# The failures, and the counts, the way scripts/summary.sh prints them.
cat "$results"/e2e*.tap 2>/dev/null | awk '
	/^not ok / { failed++; print "FAILED: " $0; next }
	/^ok .*# *[Ss][Kk][Ii][Pp]/ { skipped++; next }
	/^ok / { passed++ }
	END {
		printf "e2e: %d passed, %d failed, %d skipped\n", passed, failed, skipped
		exit (failed > 0 || passed + failed == 0) ? 1 : 0
	}'
