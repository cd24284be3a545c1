#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-kernel.sh KVER PKG_VERSION
#
# Download Debian's signed kernel image package linux-image-KVER at
# PKG_VERSION and unpack it into the cache. Prints the unpacked tree on
# the last line: it holds boot/vmlinuz-KVER and lib/modules/KVER.
set -eu
# shellcheck source=scripts/testbed/common.sh
. "$(dirname "$0")/common.sh"

kver=$1
version=$2
out=$cache_root/kernel/$kver-$version
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

lock_cache "$cache_root/kernel/.lock"
if [ ! -f "$out/.complete" ]; then
	rm -rf "$out" "$out.tmp"
	mkdir -p "$out.tmp"
	log "downloading linux-image-$kver=$version"
	(cd "$out.tmp" && apt_get download "linux-image-$kver=$version" \
		>"$out.tmp/download.log" 2>&1) || {
		cat "$out.tmp/download.log" >&2
		die "apt-get download linux-image-$kver=$version failed"
	}
	dpkg-deb -x "$out.tmp"/linux-image-*.deb "$out.tmp/root"
	[ -f "$out.tmp/root/boot/vmlinuz-$kver" ] ||
		die "no boot/vmlinuz-$kver in linux-image-$kver"
	# The package's postinst would run depmod; the initramfs builder
	# needs modules.dep to resolve dependencies with modprobe -d.
	depmod -b "$out.tmp/root" "$kver"
	mv "$out.tmp/root" "$out"
	rm -rf "$out.tmp"
	touch "$out/.complete"
fi
echo "$out"
