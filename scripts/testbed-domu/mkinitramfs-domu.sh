#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs-domu.sh KVER KERNEL_TREE MODULES_DIR DOMU_TESTS_DIR OUT
#
# Build the ramdisk of the test bed's PV domU, an uncompressed cpio:
# busybox with its applets, the tools of domu-tools.list with their
# shared-library closure, the stock modules of domu-modules.list with
# their dependencies (decompressed), the project's .ko files from
# MODULES_DIR (under /lib/modules/KVER/updates, so modprobe resolves
# them), /init (domu-init), DOMU_TESTS_DIR as /tests/domu and the helpers
# it shares with tests/e2e as /tests/e2e/lib-checks.sh.
# KERNEL_TREE is scripts/testbed/fetch-kernel.sh's output. A few MiB, built
# in a second or two: not cached.
set -eu
# shellcheck source=scripts/testbed-domu/common.sh
. "$(dirname "$0")/common.sh"

kver=$1
kernel_tree=$2
modules_dir=$3
tests_dir=$4
out=$5

root=$out.d
rm -rf "$root"
root_skeleton "$root"
mkdir -p "$root/tests" "$root/lib/modules/$kver/updates"
install_busybox "$root"

tools=
for tool in $(entries "$domu_bed/domu-tools.list"); do
	case $tool in
	/*) path=$tool ;;
	*) path=$(command -v "$tool") ||
		die "domu-tools.list: '$tool' not found (run scripts/deps.sh)" ;;
	esac
	[ -e "$path" ] || die "domu-tools.list: no $path"
	tools="$tools $path"
done
# A tool replaces the busybox applet of the same name.
for path in $tools; do
	rm -f "$root/bin/$(basename "$path")"
done
# shellcheck disable=SC2086 # one path per word
{
	for path in $tools; do
		with_links "$path"
	done
	lib_closure $tools
} | awk '!seen[$0]++' | stage_files "$root"

# shellcheck disable=SC2046 # one module name per word
install_stock_modules "$kernel_tree" "$kver" "$root" \
	$(entries "$domu_bed/domu-modules.list")
if [ -n "$modules_dir" ]; then
	find "$modules_dir" -name '*.ko' -exec cp {} "$root/lib/modules/$kver/updates/" \;
fi
depmod -b "$root" "$kver"

cp "$domu_bed/domu-init" "$root/init"
chmod 755 "$root/init"
cp -R "$tests_dir" "$root/tests/domu"
# The checks every test image shares, at the same path in each.
mkdir -p "$root/tests/e2e"
cp "$top/tests/e2e/lib-checks.sh" "$root/tests/e2e/"

mkcpio "$root" "$out"
rm -rf "$root"
