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
# them), /init (domu-init) and DOMU_TESTS_DIR as /tests/domu.
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
mkdir -p "$root"
# The host's merged /usr layout, so its library paths resolve inside.
mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/sbin" "$root/usr/lib" \
	"$root/usr/lib64" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
	"$root/run" "$root/root" "$root/etc" "$root/tests"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
ln -s usr/sbin "$root/sbin"
mkdir -p "$root/lib/modules/$kver/updates"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

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

# Stock modules with their dependencies, decompressed: loading a
# compressed module costs CPU under TCG.
mods=$root/lib/modules/$kver
for name in $(entries "$domu_bed/domu-modules.list"); do
	modprobe -d "$kernel_tree" -S "$kver" --show-depends "$name" ||
		die "domu-modules.list: no module '$name' in $kver"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
while read -r ko; do
	rel=${ko#"$kernel_tree/lib/modules/$kver/"}
	mkdir -p "$mods/$(dirname "$rel")"
	case $ko in
	*.xz) xz -dc "$ko" >"$mods/${rel%.xz}" ;;
	*.zst) zstd -qdc "$ko" >"$mods/${rel%.zst}" ;;
	*.gz) gzip -dc "$ko" >"$mods/${rel%.gz}" ;;
	*) cp "$ko" "$mods/$rel" ;;
	esac
done
cp "$kernel_tree/lib/modules/$kver"/modules.builtin* \
	"$kernel_tree/lib/modules/$kver/modules.order" "$mods/"
if [ -n "$modules_dir" ]; then
	find "$modules_dir" -name '*.ko' -exec cp {} "$mods/updates/" \;
fi
depmod -b "$root" "$kver"

cp "$domu_bed/domu-init" "$root/init"
chmod 755 "$root/init"
cp -R "$tests_dir" "$root/tests/domu"

mkcpio "$root" "$out"
rm -rf "$root"
