#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e.sh [default|xsm]: the real-Xen test bed, dom0 loopback ("make e2e-dom0",
# the first part of "make e2e").
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
# adding a script; this harness needs no edit. scripts/e2e-sim.sh runs
# the same scripts on the simulated Argo, with VA_PROVIDER=sim.
#  - Every TESTS_DIR/NN-name.sh runs in dom0, in lexical order, with sh
#    (busybox), as root, in an empty scratch directory, after /init has
#    loaded the stock modules of scripts/testbed/modules.list and mounted
#    proc, sys, devtmpfs, devpts, tmpfs on /tmp and xenfs on /proc/xen.
#    Other files in TESTS_DIR are there too (as /tests/e2e) for helpers.
#  - Environment: VA_MODULES=/lib/virtio-argo (the project's .ko files,
#    flattened; also installed under /lib/modules/$VA_KERNEL/updates so
#    modprobe resolves their dependencies), VA_KERNEL=$(uname -r),
#    VA_ACPI_DEVICES (the device list the SSDT was generated from),
#    VA_PROVIDER=xen (the Argo provider; /etc/modprobe.d gives argo.ko
#    provider=$VA_PROVIDER).
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
# shellcheck source=scripts/testbed/runner.sh
. "$top/scripts/testbed/runner.sh"

variant=${1:-${E2E_XEN_VARIANT:-default}}
tests_dir=${TESTS_DIR:-$top/tests/e2e}
acpi_devices=${E2E_ACPI_DEVICES:-$top/scripts/acpi/testbed.devices}
work=$top/build/e2e
export E2E_PROVIDER=xen
# Kernel versions start with a digit: e2e-sim-* and e2e-domu-* stay.
runner_start 'e2e-[0-9]*.tap'
# The comment atop the results of kernel $1.
header() {
	echo "e2e on $1, Xen $XEN_SRC_VERSION ($variant), argo option '${XEN_ARGO_OPT-argo=1,mac-permissive=1}'"
}

fail_all() {
	for pair in $kernels; do
		write_tap "$results/e2e-${pair%%=*}.tap" "$(header "${pair%%=*}")" \
			"not ok - e2e/${pair%%=*}/$1 # $2"
	done
	exit 1
}

t0=$(now)
xen=$(nice "$testbed/build-xen.sh" "$variant" | tail -n 1) ||
	fail_all xen-build "building Xen ($variant) failed"
timing "xen build ($variant)" $(($(now) - t0))

aml=$work/testbed-ssdt.aml
"$top/scripts/acpi/gen-ssdt.sh" -o "$aml" "$acpi_devices" ||
	fail_all acpi-table "gen-ssdt.sh failed on $acpi_devices"

for pair in $kernels; do
	run_tests_on e2e "${pair%%=*}" "${pair#*=}" "$xen" "$(header "${pair%%=*}")"
done
timing "e2e total" $(($(now) - started))

summarise e2e "$results"/e2e-[0-9]*.tap
