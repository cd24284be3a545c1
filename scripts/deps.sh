#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install, with apt-get, every Debian package the build, the checks and the
# test bed need. Safe to run repeatedly: it only installs what is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/pins.env"

packages="make gcc libc6-dev git python3 perl bc flex bison cpio kmod xz-utils zstd rsync
	libelf-dev libssl-dev dwarves sparse clang lld llvm dkms python3-ply python3-git
	qemu-system-x86 qemu-utils acpica-tools busybox-static libxen-dev
	e2fsprogs fio dpkg-dev checkpolicy m4
	linux-headers-$KERNEL_6_1 linux-headers-$KERNEL_6_12
	$LINUX_SOURCE_PKG=$LINUX_SOURCE_PKG_VERSION"

missing=
for p in $packages; do
	name=${p%%=*}
	dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "deps: installing:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
