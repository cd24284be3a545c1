#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# e2e-full.sh: the cross-domain test bed ("make e2e-full").
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
# Results: build/results/e2e-full-<variant>-<kver>.tap, as
# "ok N - e2e-full/<variant>/<kver>/<script>/<case>"; logs in
# build/e2e-full/<variant>/<kver>/. Exits non-zero if anything failed.
#
# Environment:
#   E2E_FULL_VARIANTS  Xen variants (default "default xsm"); a script of
#                      tests/e2e-domu runs in the variants its header names
#                      ("# e2e-full-variants: ..."), or in all
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
# shellcheck source=scripts/testbed-domu/common.sh
. "$top/scripts/testbed-domu/common.sh"

tests_src=$top/tests/e2e-domu
acpi_devices=$top/scripts/acpi/testbed.devices
results=$top/build/results
work=$top/build/e2e-full
mkdir -p "$results" "$work"
rm -f "$results"/e2e-full-*.tap "$work/timings"

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
	printf '%-34s %4d s\n' "$1" "$2" | tee -a "$work/timings" >&2
}

# write_tap VARIANT KVER LINES: number the TAP lines into the results.
write_tap() {
	{
		echo "# e2e-full on $2, Xen $XEN_SRC_VERSION ($1), frontend in a PV domU"
		printf '%s\n' "$3" | sed 's| - e2e/| - e2e-full/|' | awk '
			/^(ok|not ok) - / { n++; sub(/ - /, " " n " - "); print; next }
			{ print }
			END { print "1.." n }'
	} >"$results/e2e-full-$1-$2.tap"
}

# stage_tests VARIANT DIR: the scripts of tests/e2e-domu meant for VARIANT,
# with every helper and the domU's scripts.
stage_tests() {
	rm -rf "$2"
	cp -R "$tests_src" "$2"
	for script in "$2"/[0-9]*.sh; do
		[ -f "$script" ] || continue
		want=$(sed -n 's/^#[[:space:]]*e2e-full-variants:\(.*\)/\1/p' "$script")
		[ -z "$want" ] && continue
		case " $want " in
		*" $1 "*) ;;
		*) rm "$script" ;;
		esac
	done
}

# Host-side bound for one boot: every script's timeout, plus boot time.
boot_limit() {
	total=${E2E_BOOT_STAGE_TIMEOUT:-300}
	for script in "$1"/[0-9]*.sh; do
		[ -f "$script" ] || continue
		t=$(sed -n 's/^#[[:space:]]*e2e-timeout:[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
			"$script" | head -n 1)
		total=$((total + ${t:-${E2E_TEST_TIMEOUT:-300}} + 15))
	done
	echo $((total + 120))
}

export XEN_EXTRA_ARGS="dom0_max_vcpus=1 dom0_vcpus_pin ${XEN_EXTRA_ARGS:-}"

started=$(now)
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
			write_tap "$variant" "${pair%%=*}" \
				"not ok - e2e/$variant/${pair%%=*}/xen-build # building Xen ($variant) failed"
		done
		continue
	fi
	timing "xen build ($variant)" $(($(now) - t0))
	tests=$work/$variant/tests
	mkdir -p "$work/$variant"
	stage_tests "$variant" "$tests"
	names=$(for s in "$tests"/[0-9]*.sh; do [ -f "$s" ] && basename "$s" .sh; done | tr '\n' ' ')

	for pair in $kernels; do
		kver=${pair%%=*}
		pkg=${pair#*=}
		out=$work/$variant/$kver
		rm -rf "$out"
		mkdir -p "$out"
		tap=

		t0=$(now)
		if ! tree=$("$testbed/fetch-kernel.sh" "$kver" "$pkg" | tail -n 1); then
			write_tap "$variant" "$kver" "not ok - e2e/$variant/$kver/kernel-fetch # linux-image-$kver=$pkg"
			continue
		fi
		if ! modules_dir=$(nice "$top/scripts/build-modules.sh" "$kver" \
			2>"$out/build-modules.log" | tail -n 1); then
			tail -n 20 "$out/build-modules.log" >&2
			write_tap "$variant" "$kver" \
				"not ok - e2e/$variant/$kver/build-modules # failed, see $out/build-modules.log"
			continue
		fi
		tap="ok - e2e/$variant/$kver/build-modules"
		timing "kernel and modules ($kver)" $(($(now) - t0))

		t0=$(now)
		extra=$out/extra
		images=$extra/var/lib/virtio-argo
		mkdir -p "$images/domu" "$images/flask"
		if ! "$domu_bed/mkinitramfs-domu.sh" "$kver" "$tree" "$modules_dir" \
			"$tests/domu" "$images/domu/initramfs.cpio" ||
		   ! "$testbed/mkinitramfs.sh" "$kver" "$tree" "$modules_dir" "$tests" \
			"$acpi_devices" "$out/initramfs-dom0.cpio"; then
			write_tap "$variant" "$kver" "$tap"$'\n'"not ok - e2e/$variant/$kver/initramfs # building an initramfs failed"
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
		log=$out/serial.log
		"$testbed/boot.sh" "$xen" "$tree/boot/vmlinuz-$kver" "$out/initramfs.cpio" \
			"$aml" "$log" "$(boot_limit "$tests")" || true
		timing "boot + tests ($variant, $kver)" $(($(now) - t0))

		reason=$(cat "$log.reason" 2>/dev/null || true)
		lines=$(awk -v kver="$variant/$kver" -v tests="$names" -v reason="$reason" \
			-f "$testbed/serial-to-tap.awk" "$log")
		write_tap "$variant" "$kver" "$tap"$'\n'"$lines"
		if ! grep -aq '@@E2E-DONE' "$log"; then
			echo "e2e-full: $variant/$kver: the boot failed; last 60 lines of $log:" >&2
			tail -n 60 "$log" | tr -d '\r' >&2
		fi
		tapfile=$results/e2e-full-$variant-$kver.tap
		echo "e2e-full: $variant/$kver: $(grep -c '^ok ' "$tapfile" || true) ok," \
			"$(grep -c '^not ok ' "$tapfile" || true) not ok ($tapfile, log $log)" >&2
	done
done
timing "e2e-full total" $(($(now) - started))

cat "$results"/e2e-full-*.tap 2>/dev/null | awk '
	/^not ok / { failed++; print "FAILED: " $0; next }
	/^ok .*# *[Ss][Kk][Ii][Pp]/ { skipped++; next }
	/^ok / { passed++ }
	END {
		printf "e2e-full: %d passed, %d failed, %d skipped\n", passed, failed, skipped
		exit (failed > 0 || passed + failed == 0) ? 1 : 0
	}'
