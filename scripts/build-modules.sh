#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-modules.sh KVER [make arguments...]
#
# Build the out-of-tree modules against /lib/modules/KVER/build. Each kernel
# gets its own copy of the sources under build/modules/KVER, so builds for
# several kernels never share objects. Prints the directory holding the .ko
# files on the last line.
set -eu
kver=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=/lib/modules/$kver/build
out=$top/build/modules/$kver

if [ ! -d "$kdir" ]; then
	echo "build-modules: no kernel headers at $kdir (run scripts/deps.sh)" >&2
	exit 1
fi
mkdir -p "$out"
# make check, make kunit and make e2e may build for one kernel at once.
exec 9>"$out.lock"
flock 9
# Objects are excluded from the copy, and so kept between builds.
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--include='/Kbuild' --include='/drivers/***' --include='/include/***' \
	--include='/tests/' --include='/tests/kunit/***' \
	--include='/tests/selftest/***' --exclude='*' "$top/" "$out/src/"
make -C "$kdir" M="$out/src" CONFIG_XEN_ARGO=m CONFIG_VIRTIO_ARGO_PROTO=m \
	CONFIG_VIRTIO_ARGO=m CONFIG_XEN_ARGO_SELFTEST=m \
	CONFIG_VIRTIO_ARGO_BACKEND=m "$@" modules >&2
echo "$out/src"
