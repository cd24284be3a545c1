#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mktoolstack.sh
#
# Build the cpio archive that adds Xen's toolstack to the test bed's dom0
# initramfs (it is concatenated after scripts/testbed/mkinitramfs.sh's):
# xl, xenstored, xenconsoled, xen-init-dom0, the xenstore client and the
# flask tools from fetch-xen-tools.sh, with their shared-library closure,
# and the directories they use. Paths follow the merged /usr layout of
# that initramfs. Cached under <cache>/toolstack/, keyed by the unpacked
# packages, this script and the host libraries taken; prints the archive's
# path on the last line.
set -eu
# shellcheck source=scripts/testbed-domu/common.sh
. "$(dirname "$0")/common.sh"

tools=$("$domu_bed/fetch-xen-tools.sh" | tail -n 1)
bin=usr/lib/xen-4.17/bin
libdir=usr/lib/x86_64-linux-gnu
daemons="xl xenstored xenconsoled xen-init-dom0 xenconsole flask-loadpolicy
	flask-getenforce flask-setenforce"
xenstore_cmds="read write ls list rm exists watch chmod"

files=
for d in $daemons; do
	files="$files $tools/$bin/$d"
done
files="$files $tools/usr/bin/xenstore"
# The Xen libraries come from the packages, the rest from the host.
# shellcheck disable=SC2086 # one path per word
closure=$(LD_LIBRARY_PATH=$tools/$libdir lib_closure $files)
# shellcheck disable=SC2086
key=$(key_of "$0" "$tools" "$(ls -lLn --time-style=+%s $closure)")
out=$cache_root/toolstack/toolstack-$key.cpio
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

lock_cache "$cache_root/toolstack/.lock"
if [ ! -f "$out" ]; then
	log "building the toolstack archive"
	root=$(mktemp -d "$cache_root/toolstack/stage.XXXXXX")
	mkdir -p "$root/usr/lib" "$root/usr/lib64" "$root/usr/sbin" \
		"$root/usr/bin" "$root/$bin" "$root/etc/xen"
	# The same links as the initramfs base, so that nothing here
	# replaces them with directories.
	ln -s usr/lib "$root/lib"
	ln -s usr/lib64 "$root/lib64"
	ln -s usr/sbin "$root/sbin"
	for d in $daemons; do
		echo "$tools/$bin/$d=/$bin/$d"
		# Debian's /usr/sbin entries are wrappers that pick a version.
		ln -s "../lib/xen-4.17/bin/$d" "$root/usr/sbin/$d"
	done | stage_files "$root"
	echo "$tools/usr/bin/xenstore=/usr/bin/xenstore" | stage_files "$root"
	for c in $xenstore_cmds; do
		ln -s xenstore "$root/usr/bin/xenstore-$c"
	done
	for lib in $closure; do
		case $lib in
		"$tools"/*) echo "$lib=${lib#"$tools"}" ;;
		*) echo "$lib" ;;
		esac
	done | stage_files "$root"
	cp "$tools/etc/xen/xl.conf" "$root/etc/xen/"
	mkcpio "$root" "$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
fi
echo "$out"
