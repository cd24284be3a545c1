# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034,SC2154 # variables for and from the runner
#
# What the test bed runners (scripts/e2e.sh, e2e-sim.sh, e2e-domu.sh)
# share. Sourced, never run, by bash with "set -eu -o pipefail". Sets
# results (build/results) and kernels (the "kver=pkg-version" pairs that
# E2E_KERNELS names); the runner sets work, its log directory, and calls
# runner_start RESULTS_GLOB first.

top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=scripts/testbed/common.sh
. "$top/scripts/testbed/common.sh"

results=$top/build/results

# The KERNEL_* names of scripts/pins.env.
pinned_kernels() {
	sed -n 's/^\(KERNEL_[0-9_]*\)=.*/\1/p' "$top/scripts/pins.env"
}

# E2E_KERNELS (kernel versions or pins.env suffixes such as "6.12";
# default: every pinned kernel) as "kver=pkg-version" words.
resolve_kernels() {
	local want pin kver pkg found
	for want in ${E2E_KERNELS:-$(for pin in $(pinned_kernels); do eval echo "\$$pin"; done)}; do
		found=
		for pin in $(pinned_kernels); do
			eval "kver=\$$pin pkg=\${${pin}_PKG_VERSION:-}"
			if [ "$want" = "$kver" ] || [ "KERNEL_$(echo "$want" | tr . _)" = "$pin" ]; then
				found="$kver=$pkg"
			fi
		done
		[ -n "$found" ] || die "E2E_KERNELS: '$want' is not a kernel pinned in scripts/pins.env"
		echo "$found"
	done
}

# runner_start RESULTS_GLOB: make the result and work directories and
# remove this runner's earlier results (only those matching RESULTS_GLOB
# in build/results: the other runners' stay) and timings.
runner_start() {
	mkdir -p "$results" "$work"
	# shellcheck disable=SC2086 # the glob is meant to expand
	rm -f "$results"/$1 "$work/timings"
	kernels=$(resolve_kernels | tr '\n' ' ')
	started=$(now)
}

# timing LABEL SECONDS: one line of $work/timings, echoed to stderr.
timing() {
	printf '%-34s %4d s\n' "$1" "$2" | tee -a "$work/timings" >&2
}

# write_tap FILE HEADER LINES: the TAP file FILE: the comment HEADER, then
# LINES with their "ok"/"not ok" lines numbered, and the plan.
write_tap() {
	{
		echo "# $2"
		printf '%s\n' "$3" | awk '
			/^(ok|not ok) - / { n++; sub(/ - /, " " n " - "); print; next }
			{ print }
			END { print "1.." n }'
	} >"$1"
}

# test_names DIR: the script names /init will run from DIR, in its order.
test_names() {
	local script
	for script in "$1"/[0-9]*.sh; do
		[ -f "$script" ] && basename "$script" .sh
	done
	return 0
}

# boot_limit DIR: host-side bound for one boot running the scripts of
# DIR: every script's timeout, plus boot time.
boot_limit() {
	local total script t
	total=${E2E_BOOT_STAGE_TIMEOUT:-300}
	for script in "$1"/[0-9]*.sh; do
		[ -f "$script" ] || continue
		t=$(sed -n 's/^#[[:space:]]*e2e-timeout:[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
			"$script" | head -n 1)
		total=$((total + ${t:-${E2E_TEST_TIMEOUT:-300}} + 15))
	done
	echo $((total + 120))
}

# build_kernel_modules KVER OUT: build the project's modules for KVER,
# the log in OUT/build-modules.log; prints the directory of the .ko files.
build_kernel_modules() {
	nice "$top/scripts/build-modules.sh" "$1" 2>"$2/build-modules.log" |
		tail -n 1
}

# boot_to_tap SUITE NAME HYPERVISOR VMLINUZ INITRAMFS TESTS_DIR OUT:
# boot (scripts/testbed/boot.sh, the log in OUT/serial.log) and print the
# TAP lines of the scripts of TESTS_DIR, named "SUITE/NAME/<script>/<case>"
# (serial-to-tap.awk). HYPERVISOR is Xen's image, or empty for a kernel
# booted on its own. Tells on stderr when the boot failed.
boot_to_tap() {
	local log=$7/serial.log reason
	"$testbed/boot.sh" "$3" "$4" "$5" "$aml" "$log" "$(boot_limit "$6")" || true
	reason=$(cat "$log.reason" 2>/dev/null || true)
	awk -v suite="$1" -v kver="$2" -v hypervisor="${3:+xen}" \
		-v tests="$(test_names "$6" | tr '\n' ' ')" -v reason="$reason" \
		-f "$testbed/serial-to-tap.awk" "$log"
	if ! grep -aq '@@E2E-DONE' "$log"; then
		echo "$1: $2: the boot failed; last 60 lines of $log:" >&2
		tail -n 60 "$log" | tr -d '\r' >&2
	fi
}

# tap_counts FILE: "N ok, N not ok (FILE)", for the log.
tap_counts() {
	echo "$(grep -c '^ok ' "$1" || true) ok, $(grep -c '^not ok ' "$1" || true) not ok ($1)"
}

# summarise LABEL FILE...: the failures, and the counts, the way
# scripts/summary.sh prints them; fails if anything failed or nothing ran.
summarise() {
	local label=$1
	shift
	cat "$@" 2>/dev/null | awk -v label="$label" '
		/^not ok / { failed++; print "FAILED: " $0; next }
		/^ok .*# *[Ss][Kk][Ii][Pp]/ { skipped++; next }
		/^ok / { passed++ }
		END {
			printf "%s: %d passed, %d failed, %d skipped\n", label, passed, failed, skipped
			exit (failed > 0 || passed + failed == 0) ? 1 : 0
		}'
}

# run_tests_on SUITE KVER PKG HYPERVISOR HEADER: the scripts of $tests_dir
# on kernel KVER (Debian's package version PKG) as dom0 of Xen image
# HYPERVISOR, or in a VM of its own when HYPERVISOR is empty: fetch the
# kernel, build the modules (E2E_MODULES=none: none), the initramfs
# (E2E_PROVIDER is the Argo provider it sets up), boot with the SSDT $aml
# made from $acpi_devices. Results in build/results/SUITE-KVER.tap, after
# the comment HEADER; logs in $work/KVER. A module build that fails still
# boots, to run what needs no project module.
run_tests_on() {
	local suite=$1 kver=$2 pkg=$3 hypervisor=$4 header=$5
	local out=$work/$2 tap=$results/$1-$2.tap t0 tree modules_dir status lines
	rm -rf "$out"
	mkdir -p "$out"

	t0=$(now)
	if ! tree=$("$testbed/fetch-kernel.sh" "$kver" "$pkg" | tail -n 1); then
		write_tap "$tap" "$header" "not ok - $suite/$kver/kernel-fetch # linux-image-$kver=$pkg"
		return
	fi
	timing "kernel fetch ($kver)" $(($(now) - t0))

	t0=$(now)
	modules_dir=
	if [ "${E2E_MODULES:-build}" = none ]; then
		status="ok - $suite/$kver/build-modules # SKIP E2E_MODULES=none"
	elif modules_dir=$(build_kernel_modules "$kver" "$out"); then
		status="ok - $suite/$kver/build-modules"
	else
		modules_dir=
		tail -n 20 "$out/build-modules.log" >&2
		status="not ok - $suite/$kver/build-modules # failed, see $out/build-modules.log"
	fi
	timing "module build ($kver)" $(($(now) - t0))

	t0=$(now)
	if ! "$testbed/mkinitramfs.sh" "$kver" "$tree" "$modules_dir" "$tests_dir" \
		"$acpi_devices" "$out/initramfs.cpio"; then
		write_tap "$tap" "$header" "$status"$'\n'"not ok - $suite/$kver/initramfs # mkinitramfs.sh failed"
		return
	fi
	timing "initramfs ($kver)" $(($(now) - t0))

	t0=$(now)
	lines=$(boot_to_tap "$suite" "$kver" "$hypervisor" "$tree/boot/vmlinuz-$kver" \
		"$out/initramfs.cpio" "$tests_dir" "$out")
	timing "boot + tests ($kver)" $(($(now) - t0))
	write_tap "$tap" "$header" "$status"$'\n'"$lines"
	echo "$suite: $kver: $(tap_counts "$tap"), log $out/serial.log" >&2
}
