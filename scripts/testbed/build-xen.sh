#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-xen.sh [default|xsm]
#
# Build the Xen hypervisor (only "make -C xen") from Debian's source
# package XEN_SRC_VERSION with Argo enabled, and print the path of the
# multiboot image on the last line. Variants:
#   default  xen.config (EXPERT, UNSUPPORTED, ARGO)
#   xsm      xen.config + xen-xsm.config (XSM with FLASK)
# The image is cached under <cache>/xen/<key>/xen, the key hashing the
# version, the variant's fragments and this script: reruns do not build.
set -eu
# shellcheck source=scripts/testbed/common.sh
. "$(dirname "$0")/common.sh"

variant=${1:-default}
case $variant in
default) fragments="$testbed/xen.config" ;;
xsm) fragments="$testbed/xen.config $testbed/xen-xsm.config" ;;
*) die "unknown Xen variant '$variant' (default or xsm)" ;;
esac

# shellcheck disable=SC2086 # fragments is a list of paths
key=$(key_of "$XEN_SRC_VERSION" "$variant" $fragments "$0")
out=$cache_root/xen/$key
if [ -f "$out/xen" ]; then
	echo "$out/xen"
	exit 0
fi

lock_cache "$cache_root/xen/.lock"
if [ -f "$out/xen" ]; then # built by someone else while we waited
	echo "$out/xen"
	exit 0
fi

# One extracted, patched source tree per version, shared by all variants
# (each variant builds out of tree, with O=).
src=$cache_root/xen/src-$XEN_SRC_VERSION
if [ ! -f "$src/.complete" ]; then
	ensure_deb_src
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	log "fetching Xen source $XEN_SRC_VERSION"
	(cd "$src.tmp" && apt_get source "xen=$XEN_SRC_VERSION" >"$src.log" 2>&1) || {
		tail -n 20 "$src.log" >&2
		die "apt-get source xen=$XEN_SRC_VERSION failed"
	}
	tree=$(find "$src.tmp" -mindepth 1 -maxdepth 1 -type d -name 'xen-*')
	[ -d "$tree/xen" ] || die "no xen/ directory in the unpacked source"
	mv "$tree" "$src"
	rm -rf "$src.tmp"
	touch "$src/.complete"
fi

build=$cache_root/xen/build-$key
rm -rf "$build"
mkdir -p "$build"
# shellcheck disable=SC2086
cat $fragments >"$build/.config"
log "building Xen ($variant) in $build"
nice make -s -C "$src/xen" O="$build" olddefconfig >&2
# olddefconfig silently drops a symbol whose dependencies are unmet.
for frag in $fragments; do
	grep '^CONFIG_' "$frag" | while read -r line; do
		grep -qx "$line" "$build/.config" ||
			die "Xen config lacks '$line' after olddefconfig"
	done
done
# Only the multiboot image is needed: skip the EFI binary.
nice make -C "$src/xen" O="$build" -j"$(nproc)" XEN_BUILD_EFI=n \
	XEN_BUILD_PE=n >"$build/build.log" 2>&1 || {
	tail -n 40 "$build/build.log" >&2
	die "Xen build failed (log: $build/build.log)"
}

rm -rf "$out.tmp"
mkdir -p "$out.tmp"
cp "$build/xen" "$build/xen-syms" "$build/.config" "$out.tmp/"
mv "$out.tmp" "$out"
rm -rf "$build"
echo "$out/xen"
