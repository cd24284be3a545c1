#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-xen-tools.sh
#
# Download Debian's Xen toolstack (xl, xenstored, xenconsoled,
# xen-init-dom0, the xenstore client and the flask tools) at the pinned
# XEN_SRC_VERSION, the version the test bed's hypervisor is built from,
# with the Xen libraries it loads, and unpack them into the cache without
# installing anything. Prints the unpacked tree on the last line.
set -eu
# shellcheck source=scripts/testbed-domu/common.sh
. "$(dirname "$0")/common.sh"

# Built from the "xen" source package: taken at XEN_SRC_VERSION.
xen_pkgs="xen-utils-4.17 xen-utils-common xenstore-utils libxenmisc4.17
	libxencall1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
	libxenstore4 libxentoollog1 libxentoolcore1 libxendevicemodel1
	libxenhypfs1"
# Other libraries xl needs that a build host may lack: the archive's.
other_pkgs="libyajl2"

# shellcheck disable=SC2086 # lists of names
key=$(key_of "$XEN_SRC_VERSION" $xen_pkgs $other_pkgs "$0")
out=$cache_root/xen-tools/$XEN_SRC_VERSION-$key
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

lock_cache "$cache_root/xen-tools/.lock"
if [ ! -f "$out/.complete" ]; then
	rm -rf "$out" "$out.tmp"
	mkdir -p "$out.tmp/debs"
	log "downloading the Xen $XEN_SRC_VERSION toolstack packages"
	pkgs=
	for p in $xen_pkgs; do
		pkgs="$pkgs $p=$XEN_SRC_VERSION"
	done
	# shellcheck disable=SC2086
	(cd "$out.tmp/debs" && apt_get download $pkgs $other_pkgs \
		>"$out.tmp/download.log" 2>&1) || {
		cat "$out.tmp/download.log" >&2
		die "apt-get download of the Xen toolstack failed"
	}
	for deb in "$out.tmp/debs"/*.deb; do
		dpkg-deb -x "$deb" "$out.tmp/root"
	done
	[ -x "$out.tmp/root/usr/lib/xen-4.17/bin/xl" ] ||
		die "no usr/lib/xen-4.17/bin/xl in xen-utils-4.17"
	mv "$out.tmp/root" "$out"
	rm -rf "$out.tmp"
	touch "$out/.complete"
fi
echo "$out"
