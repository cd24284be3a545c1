#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# mkinitramfs.sh KVER KERNEL_TREE MODULES_DIR TESTS_DIR ACPI_DEVICES OUT
#
# Build dom0's initramfs for the test bed as an uncompressed cpio (TCG
# decompresses slowly) made of two concatenated archives:
#  - base: busybox with its applet links, and tools.list with their
#    shared-library closure. The same for every kernel, so cached under
#    <cache>/initramfs/, keyed by the lists, this script and the files.
#  - run: /init, the stock modules in modules.list with their dependency
#    closure, every .ko under MODULES_DIR (flattened into
#    /lib/virtio-argo, and also under /lib/modules/KVER/updates so that
#    modprobe resolves their dependencies), TESTS_DIR as /tests/e2e and
#    the ACPI device list as /etc/virtio-argo/acpi-devices.
# E2E_TEST_TIMEOUT (default 300) is the per-script timeout /init applies.
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

entries() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }

# Print PATH, and if it is a symlink, the links leading from it one hop
# at a time and the final file: links are kept as links, so both the
# host's merged /usr layout and library sonames survive.
with_links() {
	path=$1
	while [ -L "$path" ]; do
		echo "$path"
		link=$(readlink "$path")
		case $link in
		/*) path=$link ;;
		*) path=$(dirname "$path")/$link ;;
		esac
	done
	echo "$path"
}

# Files of the base archive, one path a line, each copied to that path.
base_files() {
	echo /bin/busybox
	for tool in $(entries "$testbed/tools.list"); do
		case $tool in
		/*) path=$tool ;;
		*) path=$(command -v "$tool") ;;
		esac
		with_links "$path"
		# The loader and libraries: "name => /path (addr)" or "/path (addr)".
		if [ -x "$path" ] && ldd "$path" >/dev/null 2>&1; then
			for lib in $(ldd "$path" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
					$1 ~ /^\// { print $1 }'); do
				with_links "$lib"
			done
		fi
	done | awk '!seen[$0]++'
}

build_base() {
	stage=$1
	mkdir -p "$stage"
	cd "$stage"
	mkdir -p bin usr/bin usr/sbin usr/lib usr/lib64 dev proc sys tmp run \
		mnt root etc var/tmp
	# The host's merged /usr layout, so library and tool paths from the
	# host resolve the same way inside.
	ln -s usr/lib lib
	ln -s usr/lib64 lib64
	ln -s usr/sbin sbin
	echo 'root:x:0:0:root:/root:/bin/sh' >etc/passwd
	echo 'root:x:0:' >etc/group
	for path in $base_files; do
		mkdir -p "./$(dirname "$path")"
		if [ -L "$path" ]; then
			cp -P "$path" "./$path"
		else
			cp -L "$path" "./$path"
		fi
	done
	for applet in $(/bin/busybox --list); do
		[ -e "bin/$applet" ] || ln -s busybox "bin/$applet"
	done
	find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible >"$2"
}

# The base: cached.
for tool in $(entries "$testbed/tools.list"); do
	case $tool in
	/*) [ -e "$tool" ] || die "tools.list: no file $tool (run scripts/deps.sh)" ;;
	*) command -v "$tool" >/dev/null || die "tools.list: '$tool' not found (run scripts/deps.sh)" ;;
	esac
done
base_files=$(base_files)
# shellcheck disable=SC2086 # one path per word
base_key=$(key_of "$testbed/tools.list" "$0" \
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

# The run archive: rebuilt each time, it is small.
run=$(dirname "$out")/initramfs-run
rm -rf "$run" "$run.deps"
# Same merged /usr layout as the base: lib/ is a link to usr/lib.
mkdir -p "$run/usr/lib"
ln -s usr/lib "$run/lib"
mkdir -p "$run/etc/e2e" "$run/etc/virtio-argo" "$run/lib/virtio-argo" \
	"$run/tests" "$run/lib/modules/$kver"
cp "$testbed/init" "$run/init"
chmod 755 "$run/init"
entries "$testbed/modules.list" >"$run/etc/e2e/modules.list"
echo "E2E_TEST_TIMEOUT=${E2E_TEST_TIMEOUT:-300}" >"$run/etc/e2e/config"
cp "$acpi_devices" "$run/etc/virtio-argo/acpi-devices"
cp -R "$tests_dir" "$run/tests/e2e"

# Stock modules, decompressed: loading a compressed one costs CPU under TCG.
mods=$run/lib/modules/$kver
for name in $(entries "$testbed/modules.list"); do
	modprobe -d "$kernel_tree" -S "$kver" --show-depends "$name" \
		>>"$run.deps" || die "modules.list: no module '$name' in $kver"
done
awk '$1 == "insmod" && !seen[$2]++ { print $2 }' "$run.deps" |
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

# The project's modules.
if [ -n "$modules_dir" ]; then
	find "$modules_dir" -name '*.ko' -exec cp {} "$run/lib/virtio-argo/" \;
fi
mkdir -p "$mods/updates"
cp "$run/lib/virtio-argo/"*.ko "$mods/updates/" 2>/dev/null || true
depmod -b "$run" "$kver"

(cd "$run" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) >"$run.cpio"
cat "$base" "$run.cpio" >"$out"
