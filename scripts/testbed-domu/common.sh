# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh disable=SC2034 # variables for the sourcing script
#
# Helpers of the cross-domain test bed (scripts/e2e-full.sh). Sourced,
# never run: the caller sets "set -eu" itself. Builds on the single-domain
# test bed's helpers (scripts/testbed/common.sh: cache_root, key_of,
# lock_cache, apt_get, log, die).

top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
# shellcheck source=scripts/testbed/common.sh
. "$top/scripts/testbed/common.sh"
domu_bed=$top/scripts/testbed-domu

entries() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1"; }

# with_links PATH: print PATH, each symlink on the way to the file it
# names (one hop a line) and that file, so that links survive the copy.
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
# included), each with the links leading to it. LD_LIBRARY_PATH, if set,
# points ldd at libraries that are not installed on the host.
lib_closure() {
	for file in "$@"; do
		out=$(ldd "$file" 2>&1) || continue
		if printf '%s\n' "$out" | grep -q 'not found'; then
			printf '%s\n' "$out" | grep 'not found' >&2
			die "$file: a library is missing"
		fi
		for lib in $(printf '%s\n' "$out" | awk '
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

# mkcpio DIR OUT: an uncompressed newc archive of DIR (TCG decompresses
# slowly), reproducible, owned by root.
mkcpio() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible) >"$2"
}
