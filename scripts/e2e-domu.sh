#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e-domu.sh: the cross-domain test bed ("make e2e-domu").
#
# The frontend runs in a PV domU, the device side in dom0. For each Xen
# variant and each pinned kernel: builds Xen (scripts/testbed/build-xen.sh),
# the modules, dom0's initramfs (scripts/testbed/mkinitramfs.sh with the
# scripts of tests/e2e-domu) followed by Xen's toolstack
# (scripts/testbed-domu/mktoolstack.sh), the domU's kernel (the same Debian
# image) and ramdisk (scripts/testbed-domu/mkinitramfs-domu.sh) and the
# FLASK policy (scripts/flask/build-policy.sh); then boots it under QEMU
# (scripts/testbed/boot.sh). dom0's scripts start domUs with xl and gather
# their results from their consoles (tests/e2e-domu/README).
# Results: build/results/e2e-domu-<variant>-<kver>.tap, as
# "ok N - e2e-domu/<variant>/<kver>/<script>/<case>"; logs in
# build/e2e-domu/<variant>/<kver>/. Exits non-zero if anything failed.
#
# Environment:
#   E2E_FULL_VARIANTS  Xen variants (default "default xsm"); a script of
#                      tests/e2e-domu runs in the variants its header names
#                      ("# e2e-domu-variants: ..."), or in all
#   E2E_KERNELS        as for scripts/e2e.sh: versions or pins.env suffixes
#   E2E_TEST_TIMEOUT, XEN_ARGO_OPT, XEN_EXTRA_ARGS, DOM0_EXTRA_ARGS,
#   E2E_QEMU_MEM, E2E_ACCEL   as for scripts/e2e.sh
#
# dom0 gets one vCPU pinned to the first of QEMU's two CPUs, and each domU
# one vCPU on the second (tests/e2e-domu/lib-domu.sh). Observed under TCG:
# when vCPUs of two domains take turns on one CPU, user processes in both
# domains crash at random in their TLS accesses (busybox segfaults at the
# same few addresses, files intact); keeping Xen from using SVM, FSGSBASE,
# global pages or INVPCID did not help. With one domain per CPU: none in
# 800 execs under load nor in a dozen full runs, which also got several
# times faster.
set -eu -o pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/testbed/runner.sh
. "$top/scripts/testbed/runner.sh"
# shellcheck source=scripts/testbed-domu/common.sh
. "$top/scripts/testbed-domu/common.sh"

tests_src=$top/tests/e2e-domu
acpi_devices=$top/scripts/acpi/testbed.devices
work=$top/build/e2e-domu
export E2E_PROVIDER=xen
runner_start 'e2e-domu-*.tap'

# tap_of VARIANT KVER LINES: the results of VARIANT on KVER.
tap_of() {
	write_tap "$results/e2e-domu-$1-$2.tap" \
		"e2e-domu on $2, Xen $XEN_SRC_VERSION ($1), frontend in a PV domU" "$3"
}

# stage_tests VARIANT DIR: the scripts of tests/e2e-domu meant for VARIANT,
# with every helper and the domU's scripts.
stage_tests() {
	rm -rf "$2"
	cp -R "$tests_src" "$2"
	for script in "$2"/[0-9]*.sh; do
		[ -f "$script" ] || continue
		want=$(sed -n 's/^#[[:space:]]*e2e-domu-variants:\(.*\)/\1/p' "$script")
		[ -z "$want" ] && continue
		case " $want " in
		*" $1 "*) ;;
		*) rm "$script" ;;
		esac
	done
}

export XEN_EXTRA_ARGS="dom0_max_vcpus=1 dom0_vcpus_pin ${XEN_EXTRA_ARGS:-}"

aml=$work/testbed-ssdt.aml
"$top/scripts/acpi/gen-ssdt.sh" -o "$aml" "$acpi_devices" >&2 ||
	die "gen-ssdt.sh failed on $acpi_devices"
t0=$(now)
toolstack=$(nice "$domu_bed/mktoolstack.sh" | tail -n 1)
policy=$(nice "$top/scripts/flask/build-policy.sh" | tail -n 1)
timing "toolstack and FLASK policy" $(($(now) - t0))

for variant in ${E2E_FULL_VARIANTS:-default xsm}; do
	t0=$(now)
	if ! xen=$(nice "$testbed/build-xen.sh" "$variant" | tail -n 1); then
		for pair in $kernels; do
			tap_of "$variant" "${pair%%=*}" \
				"not ok - e2e-domu/$variant/${pair%%=*}/xen-build # building Xen ($variant) failed"
		done
		continue
	fi
	timing "xen build ($variant)" $(($(now) - t0))
	tests=$work/$variant/tests
	mkdir -p "$work/$variant"
	stage_tests "$variant" "$tests"

	for pair in $kernels; do
		kver=${pair%%=*}
		pkg=${pair#*=}
		out=$work/$variant/$kver
		rm -rf "$out"
		mkdir -p "$out"

		t0=$(now)
		if ! tree=$("$testbed/fetch-kernel.sh" "$kver" "$pkg" | tail -n 1); then
			tap_of "$variant" "$kver" "not ok - e2e-domu/$variant/$kver/kernel-fetch # linux-image-$kver=$pkg"
			continue
		fi
		if ! modules_dir=$(build_kernel_modules "$kver" "$out"); then
			tail -n 20 "$out/build-modules.log" >&2
			tap_of "$variant" "$kver" \
				"not ok - e2e-domu/$variant/$kver/build-modules # failed, see $out/build-modules.log"
			continue
		fi
		tap="ok - e2e-domu/$variant/$kver/build-modules"
		timing "kernel and modules ($kver)" $(($(now) - t0))

		t0=$(now)
		extra=$out/extra
		images=$extra/var/lib/virtio-argo
		mkdir -p "$images/domu" "$images/flask"
		if ! "$domu_bed/mkinitramfs-domu.sh" "$kver" "$tree" "$modules_dir" \
			"$tests/domu" "$images/domu/initramfs.cpio" ||
		   ! "$testbed/mkinitramfs.sh" "$kver" "$tree" "$modules_dir" "$tests" \
			"$acpi_devices" "$out/initramfs-dom0.cpio"; then
			tap_of "$variant" "$kver" "$tap"$'\n'"not ok - e2e-domu/$variant/$kver/initramfs # building an initramfs failed"
			continue
		fi
		cp "$tree/boot/vmlinuz-$kver" "$images/domu/vmlinuz"
		cp "$policy" "$images/flask/virtio-argo.policy"
		mkcpio "$extra" "$out/extra.cpio"
		rm -rf "$extra"
		# Later archives add to the earlier ones' tree.
		cat "$out/initramfs-dom0.cpio" "$toolstack" "$out/extra.cpio" \
			>"$out/initramfs.cpio"
		rm -f "$out/initramfs-dom0.cpio" "$out/extra.cpio"
		timing "initramfs ($variant, $kver)" $(($(now) - t0))

		t0=$(now)
		lines=$(boot_to_tap e2e-domu "$variant/$kver" "$xen" "$tree/boot/vmlinuz-$kver" \
			"$out/initramfs.cpio" "$tests" "$out")
		timing "boot + tests ($variant, $kver)" $(($(now) - t0))
		tap_of "$variant" "$kver" "$tap"$'\n'"$lines"
		echo "e2e-domu: $variant/$kver: $(tap_counts "$results/e2e-domu-$variant-$kver.tap")," \
			"log $out/serial.log" >&2
	done
done
timing "e2e-domu total" $(($(now) - started))

summarise e2e-domu "$results"/e2e-domu-*.tap
