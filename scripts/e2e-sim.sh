#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e-sim.sh: the end-to-end tests on the simulated Argo ("make e2e-sim").
#
# The scripts of tests/e2e, run the way scripts/e2e.sh runs them, but with
# no hypervisor: each pinned Debian kernel boots on its own under QEMU
# (TCG) with the same initramfs, made for the simulation
# (scripts/testbed/mkinitramfs.sh with E2E_PROVIDER=sim: no Xen modules,
# no xenfs, argo.ko loaded with provider=sim, VA_PROVIDER=sim), and the
# same SSDT. Argo is then argo.ko's in-kernel simulation
# (drivers/virtio/argo_sim.c), which follows Xen 4.17's semantics; the
# device side and the transport both run in that kernel, as in dom0 on
# the test bed. No Xen build, and much quicker: a way to run every test
# without the test bed. A script that needs the hypervisor itself skips
# with a reason when VA_PROVIDER is sim.
# Results: build/results/e2e-sim-<kver>.tap, as
# "ok N - e2e-sim/<kver>/<script>/<case>"; logs in build/e2e-sim/<kver>/.
# Exits non-zero if anything failed.
#
# Environment: E2E_KERNELS, E2E_TEST_TIMEOUT, TESTS_DIR, E2E_MODULES,
# E2E_ACPI_DEVICES, E2E_ACCEL, DOM0_EXTRA_ARGS (here the kernel's command
# line), E2E_QEMU_MEM (default 1024) as for scripts/e2e.sh.
set -eu -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/testbed/runner.sh
. "$top/scripts/testbed/runner.sh"

tests_dir=${TESTS_DIR:-$top/tests/e2e}
acpi_devices=${E2E_ACPI_DEVICES:-$top/scripts/acpi/testbed.devices}
work=$top/build/e2e-sim
export E2E_PROVIDER=sim
runner_start 'e2e-sim-*.tap'

aml=$work/testbed-ssdt.aml
if ! "$top/scripts/acpi/gen-ssdt.sh" -o "$aml" "$acpi_devices"; then
	for pair in $kernels; do
		write_tap "$results/e2e-sim-${pair%%=*}.tap" "e2e-sim on ${pair%%=*}" \
			"not ok - e2e-sim/${pair%%=*}/acpi-table # gen-ssdt.sh failed on $acpi_devices"
	done
	exit 1
fi

for pair in $kernels; do
	run_tests_on e2e-sim "${pair%%=*}" "${pair#*=}" "" \
		"e2e-sim on ${pair%%=*}, simulated Argo (argo.ko provider=sim), no hypervisor"
done
timing "e2e-sim total" $(($(now) - started))

summarise e2e-sim "$results"/e2e-sim-*.tap
