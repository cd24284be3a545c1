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
