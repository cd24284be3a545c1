#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-policy.sh [OUT]
#
# Build the test bed's FLASK policy: Xen's example policy (tools/flask/policy
# of the Xen source that scripts/testbed/build-xen.sh unpacks, at
# XEN_SRC_VERSION) with
#  - guest_features.te's two Argo rules removed (they let every domain
#    register rings for and send to every other one), and
#  - virtio_argo.te (this directory) added as a module.
# Xen's own policy makefile (Makefile.common) runs m4 and checkpolicy on a
# copy of the two policy directories. Prints the binary policy's path on
# the last line (default OUT: <cache>/flask/<key>/virtio-argo.policy),
# which "xl loadpolicy" loads, or a boot loader passes to Xen as a module.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/testbed/common.sh
. "$top/scripts/testbed/common.sh"

src=$cache_root/xen/src-$XEN_SRC_VERSION
if [ ! -f "$src/.complete" ]; then
	# build-xen.sh unpacks the source (once per version) while building.
	"$top/scripts/testbed/build-xen.sh" default >/dev/null
	[ -f "$src/.complete" ] || die "no Xen source at $src"
fi

key=$(key_of "$XEN_SRC_VERSION" "$0" "$here/virtio_argo.te" \
	"$(checkpolicy -V)")
out=${1:-$cache_root/flask/$key/virtio-argo.policy}
if [ -z "${1:-}" ] && [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Makefile.common finds the hypervisor's classes and access vectors at
# ../../../xen/xsm/flask/policy: keep that layout.
mkdir -p "$work/tools/flask" "$work/xen/xsm/flask"
cp -R "$src/tools/flask/policy" "$work/tools/flask/"
cp -R "$src/xen/xsm/flask/policy" "$work/xen/xsm/flask/"
mods=$work/tools/flask/policy/modules

# The example policy's blanket Argo rules go; each must be there to go.
for rule in 'allow domain_type xen_t:argo { enable register_any_source };' \
	'allow domain_type domain_type:argo { send register_single_source };'; do
	grep -qxF "$rule" "$mods/guest_features.te" ||
		die "guest_features.te has no line '$rule' (Xen $XEN_SRC_VERSION)"
	grep -vxF "$rule" "$mods/guest_features.te" >"$work/gf.te"
	mv "$work/gf.te" "$mods/guest_features.te"
done
cp "$here/virtio_argo.te" "$mods/"
echo 'virtio_argo = on' >>"$mods/modules.conf"

mkdir -p "$work/out"
make -s -C "$work/tools/flask/policy" -f Makefile.common \
	FLASK_BUILD_DIR="$work/out" XEN_FULLVERSION=virtio-argo >&2 ||
	die "checkpolicy failed"
mkdir -p "$(dirname "$out")"
cp "$work/out/xenpolicy-virtio-argo" "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
