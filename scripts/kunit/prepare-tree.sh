#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# prepare-tree.sh TARBALL SRCDIR REPO
#
# Extract the kernel source TARBALL into SRCDIR (once), then wire REPO's
# sources into it without copying them: directory symlinks under
# drivers/virtio/ plus one Kconfig "source" line and one Makefile line.
# The symlinks are re-pointed on every call, because the repo may be a clone
# anywhere (CI uses a fresh one). Its hash is part of the cache key, so a
# change here starts a fresh tree.
set -eu
tarball=$1
srcdir=$2
repo=$3

if [ ! -f "$srcdir/.extracted" ]; then
	echo "kunit: extracting $tarball (once per cache key)"
	rm -rf "$srcdir.tmp"
	mkdir -p "$srcdir.tmp"
	tar -xJf "$tarball" -C "$srcdir.tmp" --strip-components=1
	touch "$srcdir.tmp/.extracted"
	# Rename last, so an interrupted extraction is never taken for a tree.
	rm -rf "$srcdir"
	mv "$srcdir.tmp" "$srcdir"
fi

virtio=$srcdir/drivers/virtio
ln -sfn "$repo/drivers/virtio" "$virtio/argo"
ln -sfn "$repo/tests/kunit" "$virtio/argo-kunit"
ln -sfn "$repo/tests/selftest" "$virtio/argo-selftest"
ln -sfn "$repo/Kconfig" "$virtio/Kconfig.argo"

# Outside the "if VIRTIO_MENU" block: the repo's Kconfig states its own
# dependencies.
grep -qx 'source "drivers/virtio/Kconfig.argo"' "$virtio/Kconfig" ||
	printf '\nsource "drivers/virtio/Kconfig.argo"\n' >>"$virtio/Kconfig"
grep -qx 'obj-y += argo/ argo-kunit/ argo-selftest/' "$virtio/Makefile" ||
	printf '\nobj-y += argo/ argo-kunit/ argo-selftest/\n' >>"$virtio/Makefile"
