#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh KVER KERNEL_TREE MODULES_DIR TESTS_DIR ACPI_DEVICES OUT
#
# Build the test bed's initramfs (dom0's, or the lone kernel's on the
# simulated Argo) as an uncompressed cpio (TCG decompresses slowly) made
# of two concatenated archives:
#  - base: busybox with its applet links, and tools.list with their
#    shared-library closure. The same for every kernel, so cached under
#    <cache>/initramfs/, keyed by the list, the scripts and the files.
#  - run: /init, the stock modules in modules.list for E2E_PROVIDER with
#    their dependency closure, every .ko under MODULES_DIR (flattened into
#    /lib/virtio-argo, and also under /lib/modules/KVER/updates so that
#    modprobe resolves their dependencies), TESTS_DIR as /tests/e2e with
#    the checks every test image shares (tests/e2e/lib-checks.sh, whatever
#    TESTS_DIR is), the ACPI device list as /etc/virtio-argo/acpi-devices,
#    and argo.ko's provider option in /etc/modprobe.d.
# Environment:
#   E2E_PROVIDER      the Argo provider the tests run on: xen (default;
#                     dom0 of Xen) or sim (no hypervisor, argo.ko's
#                     simulation)
#   E2E_TEST_TIMEOUT  the per-script timeout /init applies (default 300)
# KERNEL_TREE is fetch-kernel.sh's output. MODULES_DIR may be empty.
set -eu
# shellcheck source=scripts/testbed/common.sh
. "$(dirname "$0")/common.sh"

kver=$1
kernel_tree=$2
modules_dir=$3
tests_dir=$4
acpi_devices=$5
out=$6
provider=${E2E_PROVIDER:-xen}
case $provider in
xen | sim) ;;
*) die "E2E_PROVIDER must be xen or sim, not '$provider'" ;;
esac

# The tools of tools.list: their paths, each checked.
tool_paths() {
	for tool in $(entries "$testbed/tools.list"); do
		case $tool in
		/*) [ -e "$tool" ] || die "tools.list: no file $tool (run scripts/deps.sh)"
		    echo "$tool" ;;
		*) command -v "$tool" ||
			die "tools.list: '$tool' not found (run scripts/deps.sh)" ;;
		esac
	done
}

# Files of the base archive, one path a line, each copied to that path.
base_files() {
	echo /bin/busybox
	for path in $tools; do
		with_links "$path"
	done
	# shellcheck disable=SC2086 # one path per word
	lib_closure $tools
}

build_base() {
	root_skeleton "$1"
	mkdir -p "$1/mnt" "$1/var/tmp"
	echo "$base_files" | stage_files "$1"
	install_busybox "$1"
	mkcpio "$1" "$2"
}

# The base: cached.
tools=$(tool_paths)
base_files=$(base_files | awk '!seen[$0]++')
# shellcheck disable=SC2086 # one path per word
base_key=$(key_of "$testbed/tools.list" "$0" "$testbed/common.sh" \
	"$(ls -lLn --time-style=+%s $base_files)")
base=$cache_root/initramfs/base-$base_key.cpio
if [ ! -f "$base" ]; then
	lock_cache "$cache_root/initramfs/.lock"
	if [ ! -f "$base" ]; then
		log "building the initramfs base (busybox and tools)"
		tmp=$(mktemp -d "$cache_root/initramfs/stage.XXXXXX")
		(build_base "$tmp/root" "$tmp/base.cpio")
		mv "$tmp/base.cpio" "$base"
		rm -rf "$tmp"
	fi
	exec 9>&-
fi

# The run archive: rebuilt each time, it is small. Same merged /usr
# layout as the base: lib/ is a link to usr/lib.
run=$(dirname "$out")/initramfs-run
rm -rf "$run"
mkdir -p "$run/usr/lib"
ln -s usr/lib "$run/lib"
mkdir -p "$run/etc/e2e" "$run/etc/virtio-argo" "$run/etc/modprobe.d" \
	"$run/lib/virtio-argo" "$run/tests" "$run/lib/modules/$kver/updates"
cp "$testbed/init" "$run/init"
chmod 755 "$run/init"
# modules.list: "name" for every test bed, "name xen" for dom0 only.
entries "$testbed/modules.list" |
	awk -v p="$provider" 'NF == 1 || $2 == p { print $1 }' >"$run/etc/e2e/modules.list"
{
	echo "E2E_TEST_TIMEOUT=${E2E_TEST_TIMEOUT:-300}"
	echo "VA_PROVIDER=$provider"
} >"$run/etc/e2e/config"
# "modprobe argo" (and what depends on it) takes the provider under test:
# with the wrong one the tests fail instead of passing on the other.
echo "options argo provider=$provider" >"$run/etc/modprobe.d/virtio-argo.conf"
cp "$acpi_devices" "$run/etc/virtio-argo/acpi-devices"
cp -R "$tests_dir" "$run/tests/e2e"
cp "$top/tests/e2e/lib-checks.sh" "$run/tests/e2e/"

# shellcheck disable=SC2046 # one module name per word
install_stock_modules "$kernel_tree" "$kver" "$run" $(cat "$run/etc/e2e/modules.list")

# The project's modules.
if [ -n "$modules_dir" ]; then
	find "$modules_dir" -name '*.ko' -exec cp {} "$run/lib/virtio-argo/" \;
fi
cp "$run/lib/virtio-argo/"*.ko "$run/lib/modules/$kver/updates/" 2>/dev/null || true
depmod -b "$run" "$kver"

mkcpio "$run" "$run.cpio"
cat "$base" "$run.cpio" >"$out"
