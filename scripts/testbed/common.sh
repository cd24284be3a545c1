# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # variables for the sourcing script
#
# Helpers shared by the test bed scripts. Sourced, never run: the caller
# sets "set -eu" itself.

top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
testbed=$top/scripts/testbed
. "$top/scripts/pins.env"

# Everything downloaded or built outside the repo lives here, so that a
# "make clean" keeps it and a separate XDG_CACHE_HOME gives a cold run.
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/virtio-argo

log() { echo "testbed: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Short content hash of files and/or strings: cache keys change whenever
# an input that shapes the cached artefact changes.
key_of() {
	for item in "$@"; do
		if [ -f "$item" ]; then cat "$item"; else printf '%s\n' "$item"; fi
	done | sha256sum | cut -c1-16
}

# Serialise builders of one cache entry (several engineers share the
# machine and the cache): take an exclusive lock on fd 9 until exit.
lock_cache() {
	mkdir -p "$(dirname "$1")"
	exec 9>"$1"
	flock 9
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt-get source needs a deb-src entry. Derive one from the Debian
# archive entries already configured, so no archive address is written
# into the repo, and only when no deb-src entry is enabled yet.
ensure_deb_src() {
	if grep -qsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; then
		return 0
	fi
	log "adding a deb-src entry derived from the configured Debian archive"
	tmp=$(mktemp)
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# deb822: copy each stanza signed by Debian's archive keyring.
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
			/Signed-By:[^\n]*debian-archive-keyring/ && /Types:[^\n]*deb/ {
				sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f"
	done >"$tmp.sources"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
	done >"$tmp.list"
	[ -s "$tmp.sources" ] &&
		as_root cp "$tmp.sources" /etc/apt/sources.list.d/virtio-argo-src.sources
	[ -s "$tmp.list" ] &&
		as_root cp "$tmp.list" /etc/apt/sources.list.d/virtio-argo-src.list
	rm -f "$tmp" "$tmp.sources" "$tmp.list"
	as_root apt-get update -qq
}

# apt_get ARGS...: apt-get as root without the _apt sandbox (downloads
# go to the current directory), refreshing the package lists once if it
# fails: on a fresh machine they may be missing or stale.
apt_get() {
	as_root apt-get -o APT::Sandbox::User=root "$@" ||
		{ as_root apt-get update -qq && as_root apt-get -o APT::Sandbox::User=root "$@"; }
}

now() { date +%s; }

# Building initramfs images
# -------------------------

# entries LIST: the entries of a list file, without comments and blanks.
entries() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }

# with_links PATH: print PATH, each symlink on the way to the file it
# names (one hop a line) and that file, so that links survive the copy:
# both the host's merged /usr layout and library sonames.
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

# lib_closure FILE...: the shared libraries FILEs load (the loader
# included), each with the links leading to it; a FILE that is not a
# dynamic executable adds none. LD_LIBRARY_PATH, if set, points ldd at
# libraries that are not installed on the host.
lib_closure() {
	for file in "$@"; do
		ldd_out=$(ldd "$file" 2>&1) || continue
		if printf '%s\n' "$ldd_out" | grep -q 'not found'; then
			printf '%s\n' "$ldd_out" | grep 'not found' >&2
			die "$file: a library is missing"
		fi
		# "name => /path (addr)" or "/path (addr)".
		for lib in $(printf '%s\n' "$ldd_out" | awk '
				$2 == "=>" && $3 ~ /^\// { print $3 }
				$1 ~ /^\// { print $1 }'); do
			with_links "$lib"
		done
	done | awk '!seen[$0]++'
}

# stage_files ROOT: copy each path read from stdin into ROOT at the same
# path (the path may be "SRC=DEST" to place SRC at DEST), links as links.
stage_files() {
	while read -r spec; do
		src=${spec%%=*}
		dest=${spec#*=}
		mkdir -p "$1/$(dirname "$dest")"
		if [ -L "$src" ]; then
			cp -P "$src" "$1/$dest"
		else
			cp -L "$src" "$1/$dest"
		fi
	done
}

# root_skeleton ROOT: the directories of a busybox root with the host's
# merged /usr layout (lib, lib64 and sbin link into usr), so that the
# host's library and tool paths resolve the same way inside, and root's
# passwd and group entries.
root_skeleton() {
	mkdir -p "$1/bin" "$1/usr/bin" "$1/usr/sbin" "$1/usr/lib" \
		"$1/usr/lib64" "$1/dev" "$1/proc" "$1/sys" "$1/tmp" "$1/run" \
		"$1/root" "$1/etc"
	ln -s usr/lib "$1/lib"
	ln -s usr/lib64 "$1/lib64"
	ln -s usr/sbin "$1/sbin"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$1/etc/passwd"
	echo 'root:x:0:' >"$1/etc/group"
}

# install_busybox ROOT: the host's busybox, with a link for every applet
# that ROOT/bin does not have yet.
install_busybox() {
	cp /bin/busybox "$1/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"
	done
}

# install_stock_modules KERNEL_TREE KVER ROOT NAME...: the named modules
# with their dependency closure (resolved by modprobe in KERNEL_TREE,
# fetch-kernel.sh's output), decompressed, since loading a compressed
# module costs CPU under TCG, into ROOT/lib/modules/KVER, with the files
# depmod needs besides them. A name built into the kernel is fine.
install_stock_modules() {
	sm_from=$1/lib/modules/$2
	sm_kver=$2
	sm_tree=$1
	sm_mods=$3/lib/modules/$2
	shift 3
	mkdir -p "$sm_mods"
	for name in "$@"; do
		modprobe -d "$sm_tree" -S "$sm_kver" --show-depends "$name" ||
			die "no module '$name' in $sm_kver"
	done >"$sm_mods.deps"
	awk '$1 == "insmod" && !seen[$2]++ { print $2 }' "$sm_mods.deps" |
	while read -r ko; do
		rel=${ko#"$sm_from/"}
		mkdir -p "$sm_mods/$(dirname "$rel")"
		case $ko in
		*.xz) xz -dc "$ko" >"$sm_mods/${rel%.xz}" ;;
		*.zst) zstd -qdc "$ko" >"$sm_mods/${rel%.zst}" ;;
		*.gz) gzip -dc "$ko" >"$sm_mods/${rel%.gz}" ;;
		*) cp "$ko" "$sm_mods/$rel" ;;
		esac
	done
	rm -f "$sm_mods.deps"
	cp "$sm_from"/modules.builtin* "$sm_from/modules.order" "$sm_mods/"
}

# mkcpio DIR OUT: an uncompressed newc archive of DIR (TCG decompresses
# slowly), reproducible, owned by root.
mkcpio() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible) >"$2"
}
