#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# patches.sh: turn the repo into a git format-patch series against Debian's
# linux-source (the pinned one) in build/patches/, then check it:
#   patches/generate    the series and its cover letter are made
#   patches/checkpatch  checkpatch.pl --strict from the tree, every patch
#   patches/applies     git am applies it to a clean tree
#   patches/builds-m    every commit builds with the project's options =m
#                       (vmlinux and modules, W=1), each object of the
#                       series compiled at the commit that wires it up
#   patches/builds-y    the whole series with the options =y, vmlinux links
# No warning may name a file or a module of the series. Writes
# build/results/patches.tap; build/patches-check/ has the logs and the
# manifest (which repo file went to which patch, and what stays out).
#
# The kernel tree (a git repo of the pristine source) and its build
# directory live in the user's cache, keyed by their inputs, so warm runs
# rebuild only what the series changes. The generator is
# scripts/patches/series.py; the cover letter's text is
# scripts/patches/cover-letter.txt.
#
# PATCHES_CHECK=0 only generates the series.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/pins.env"

results=$top/build/results
tap=$results/patches.tap
out=$top/build/patches
logdir=$top/build/patches-check
jobs=${JOBS:-$(nproc)}
. "$top/scripts/lib-verdicts.sh"
verdicts_begin patches "$tap" "$logdir"

pkg_version=$(dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" 2>/dev/null) || pkg_version=
tarball=/usr/src/$LINUX_SOURCE_PKG.tar.xz
if [ "$pkg_version" != "$LINUX_SOURCE_PKG_VERSION" ] || [ ! -f "$tarball" ]; then
	echo "need $LINUX_SOURCE_PKG=$LINUX_SOURCE_PKG_VERSION, have '${pkg_version:-none}' (run scripts/deps.sh)" >"$logdir/setup"
	fail patches/generate "$LINUX_SOURCE_PKG $LINUX_SOURCE_PKG_VERSION not installed" "$logdir/setup"
	skip_rest patches/checkpatch patches/applies patches/builds-m patches/builds-y
fi
if ! git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	echo "$top is not a git work tree: the series is made of the files git lists" >"$logdir/setup"
	fail patches/generate "not a git work tree" "$logdir/setup"
	skip_rest patches/checkpatch patches/applies patches/builds-m patches/builds-y
fi

# The tree depends only on the source package; the build directory also on
# the base configuration below. Bump tree_format when the way the tree is
# made changes.
tree_format=1
cache=${XDG_CACHE_HOME:-$HOME/.cache}/virtio-argo/patches
key=$(echo "$pkg_version" | tr -c 'A-Za-z0-9.+\n-' '_')-$(printf '%s\n' "$pkg_version" "$tree_format" | sha256sum | cut -c1-12)
work=$cache/$key
linux=$work/linux
# One run per tree at a time: the check moves its work tree around. Two
# keys are kept; a tree plus its build is ~3.5 GiB.
cache_claim "$work" 2

t0=$(date +%s)
# The pristine tree as a git repo, made once. Fixed identity and date, so
# the series' commit ids depend only on the inputs.
if [ ! -f "$linux/.git/virtio-argo-pristine" ]; then
	echo "patches: extracting $tarball into $linux (once per cache key)"
	rm -rf "$linux.tmp"
	mkdir -p "$linux.tmp"
	nice tar -xJf "$tarball" -C "$linux.tmp" --strip-components=1
	(
		cd "$linux.tmp"
		git init -q
		git config gc.auto 0
		git config core.autocrlf false
		# Uncompressed objects: twice as fast to add, for 1 GiB more.
		git config core.compression 0
		git config core.looseCompression 0
		# -f: the tarball has a few files the kernel's .gitignore matches.
		nice git add -A -f
		GIT_AUTHOR_NAME=linux-source GIT_AUTHOR_EMAIL=linux-source@localhost \
		GIT_COMMITTER_NAME=linux-source GIT_COMMITTER_EMAIL=linux-source@localhost \
		GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
			git commit -q -m "$LINUX_SOURCE_PKG $pkg_version, as unpacked"
		git tag pristine
	)
	# unifdef resolves the feature tests' #ifdefs; the tree has its source.
	gcc -O2 -o "$linux.tmp/.git/unifdef" "$linux.tmp/scripts/unifdef.c"
	touch "$linux.tmp/.git/virtio-argo-pristine"
	rm -rf "$linux"
	mv "$linux.tmp" "$linux"
	echo "patches: tree made in $(($(date +%s) - t0)) s"
fi

# Generate. The identity signs every patch; the date of the repo's last
# commit dates them, so an unchanged repo gives identical patches.
t0=$(date +%s)
name=$(git -C "$top" config user.name 2>/dev/null) || name=
email=$(git -C "$top" config user.email 2>/dev/null) || email=
if [ -z "$name" ] || [ -z "$email" ]; then
	name='virtio-argo developers'
	email=virtio-argo@localhost
fi
ident="$name <$email>"
# git format-patch (the cover letter) and git am commit as someone; a
# fresh CI machine may have no identity configured.
export GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" \
	GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email"
date=$(git -C "$top" log -1 --format=%cI 2>/dev/null) || date='2000-01-01T00:00:00Z'
linux_version=$(make -s -C "$linux" kernelversion 2>/dev/null) || linux_version=unknown
rm -rf "$out"
mkdir -p "$out"
log=$logdir/generate.log
objects=$logdir/objects
if python3 "$top/scripts/patches/series.py" --repo "$top" --tree "$linux" \
	--base pristine --branch series --ident "$ident" --date "$date" \
	--unifdef "$linux/.git/unifdef" --manifest "$logdir/manifest" --objects "$objects" \
	--cover-template "$top/scripts/patches/cover-letter.txt" --cover "$logdir/cover" \
	--set "LINUX_SOURCE_PKG=$LINUX_SOURCE_PKG" \
	--set "LINUX_SOURCE_PKG_VERSION=$pkg_version" \
	--set "LINUX_VERSION=$linux_version" >"$log" 2>&1 &&
	git -C "$linux" config branch.series.description "$(cat "$logdir/cover")" &&
	GIT_COMMITTER_DATE=$date git -C "$linux" format-patch -q --cover-letter \
		--cover-from-description=subject --no-signature -o "$out" pristine..series \
		>>"$log" 2>&1; then
	n=$(find "$out" -name '[0-9]*.patch' ! -name '0000-*' | wc -l)
	pass "patches/generate: $n patches and a cover letter in build/patches"
	# Files no pattern of series.py claims: worth a pattern.
	grep '^series: note:' "$log" || true
else
	fail patches/generate "series.py or format-patch failed" "$log"
	skip_rest patches/checkpatch patches/applies patches/builds-m patches/builds-y
fi
echo "patches: series generated in $(($(date +%s) - t0)) s"
[ "${PATCHES_CHECK:-1}" = 0 ] && write_tap

patch_files=$(find "$out" -name '[0-9]*.patch' ! -name '0000-*' | sort)

# Back to the pristine tree. The work tree is reset, not re-extracted: only
# the files the series touches change, so the build below stays
# incremental.
git -C "$linux" am --abort >/dev/null 2>&1 || true
git -C "$linux" checkout -q -f --detach pristine
git -C "$linux" clean -q -f -d -x

# checkpatch from the tree, as a submitter runs it. Its SPDX check runs
# scripts/spdxcheck.py, which needs Debian's python3 (python3-ply,
# python3-git), not another python3 that PATH may find first.
t0=$(date +%s)
# One patch per process, $jobs at a time; the reports are put back in order.
log=$logdir/checkpatch.log
rc=0
# shellcheck disable=SC2016 # $1 is for the inner shell
echo "$patch_files" | (cd "$linux" && PATH=/usr/bin:$PATH xargs -P "$jobs" -n 1 sh -c \
	'perl scripts/checkpatch.pl --strict --show-types --no-summary --quiet "$1" \
		>"$1.checkpatch" 2>&1' checkpatch) || rc=$?
for p in $patch_files; do
	cat "$p.checkpatch"
	rm -f "$p.checkpatch"
done >"$log"
if [ "$rc" -ne 0 ] || [ -s "$log" ]; then
	fail patches/checkpatch "$(grep -Ec '^(ERROR|WARNING|CHECK):' "$log") reports (exit status $rc)" "$log"
else
	pass "patches/checkpatch: --strict, every patch"
fi
echo "patches: checkpatch took $(($(date +%s) - t0)) s"

# The build: a small x86_64 configuration with what the options depend on
# and what the code uses when it is there (networking, debugfs,
# tracepoints, printk),
# made once per key at the pristine tree in its own directory (O=); the
# project's options are set on top of it for each build. W=1 for
# everything, so switching never rebuilds the kernel; only warnings about
# the series count.
base_config='CONFIG_64BIT=y
CONFIG_MODULES=y
CONFIG_MODULE_UNLOAD=y
CONFIG_PRINTK=y
CONFIG_HYPERVISOR_GUEST=y
CONFIG_PARAVIRT=y
CONFIG_XEN=y
CONFIG_XEN_PV=y
CONFIG_PCI=y
CONFIG_ACPI=y
CONFIG_VIRTIO_MENU=y
CONFIG_ARCH_HAS_DMA_OPS=y
CONFIG_DMA_OPS=y
CONFIG_BLOCK=y
CONFIG_NET=y
CONFIG_KUNIT=y
CONFIG_DEBUG_FS=y
CONFIG_FTRACE=y
CONFIG_ENABLE_DEFAULT_TRACERS=y
# CONFIG_WERROR is not set'
build=$work/build-$(printf '%s\n' "$base_config" | sha256sum | cut -c1-12)
for old in "$work"/build-*; do
	[ -d "$old" ] && [ "$old" != "$build" ] && rm -rf "$old"
done
kmake() {
	nice make -C "$linux" O="$build" -j"$jobs" "$@"
}
if [ ! -f "$build/base.config" ]; then
	echo "patches: configuring $build (once per key)"
	rm -rf "$build"
	mkdir -p "$build"
	if ! { kmake tinyconfig && printf '%s\n' "$base_config" >>"$build/.config" &&
		kmake olddefconfig; } >"$logdir/configure.log" 2>&1; then
		fail patches/builds-m "configuring the kernel failed" "$logdir/configure.log" tail
		skip_rest patches/applies patches/builds-y
	fi
	cp "$build/.config" "$build/base.config"
fi

t0=$(date +%s)
log=$logdir/am.log
# shellcheck disable=SC2086
if git -C "$linux" am -q $patch_files >"$log" 2>&1 &&
	[ -z "$(git -C "$linux" status --porcelain)" ]; then
	pass "patches/applies: git am on $LINUX_SOURCE_PKG $pkg_version"
else
	fail patches/applies "git am failed" "$log"
	git -C "$linux" am --abort >/dev/null 2>&1 || true
	skip_rest patches/builds-m patches/builds-y
fi
commits=$(git -C "$linux" rev-list --reverse pristine..HEAD)
last=$(git -C "$linux" rev-parse HEAD)
echo "patches: applied in $(($(date +%s) - t0)) s"

all_options=$(awk '/^(menu)?config / { print $2 }' "$top/Kconfig")
# The project's options, one "NAME TYPE PROMPT ANY" line each: TYPE is
# what =m asks of it (m for a tristate, y for a bool), PROMPT 1 if it has
# one (the others are selected), ANY 1 if it depends on one of the
# project's options being built in, and so may stay off in =m builds.
optinfo=$logdir/options
awk -v ours="$all_options" '
	BEGIN { k = split(ours, o); for (i = 1; i <= k; i++) our[o[i]] = 1 }
	function flush() { if (sym != "") print sym, type, prompt, any }
	/^(menu)?config / { flush(); sym = $2; type = "y"; prompt = 0; any = 0; next }
	/^[ \t]*(tristate|bool)([ \t]|$)/ { type = $1 == "tristate" ? "m" : "y"; if (/"/) prompt = 1 }
	/^[ \t]*prompt[ \t]/ { prompt = 1 }
	/^[ \t]*depends on / {
		s = $0
		while (match(s, /[A-Z0-9_]+=y/)) {
			if (substr(s, RSTART, RLENGTH - 2) in our)
				any = 1
			s = substr(s, RSTART + RLENGTH)
		}
	}
	END { flush() }' "$top/Kconfig" >"$optinfo"
# What the series changes, to pick its warnings out of the build logs.
ours=$logdir/ours
git -C "$linux" diff --name-only pristine "$last" >"$ours"
symbols=$logdir/symbols
echo "$all_options" >"$symbols"

# build MODE LOG CHECKED: configure with the options =MODE and build
# vmlinux and the modules; CHECKED lists the options that must come out
# as asked.
build() {
	cp "$build/base.config" "$build/.config"
	awk -v mode="$1" '$3 == 1 { print "CONFIG_" $1 "=" (mode == "y" ? "y" : $2) }' \
		"$optinfo" >>"$build/.config"
	kmake olddefconfig >"$2" 2>&1 || return 1
	bad=
	for o in $3; do
		want=$(awk -v o="$o" -v mode="$1" \
			'$1 == o { print mode == "y" ? "y" : $4 == 1 ? "" : $2 }' "$optinfo")
		[ -z "$want" ] || grep -qx "CONFIG_$o=$want" "$build/.config" || bad="$bad $o"
	done
	if [ -n "$bad" ]; then
		echo "not as asked (=$1) after olddefconfig:$bad" >>"$2"
		return 1
	fi
	kmake W=1 vmlinux modules >>"$2" 2>&1
}
# expected N: the objects patch N first builds whose options .config has
# on (all of them for "all").
expected() {
	awk -v n="$1" '
		NR == FNR { if (sub(/^CONFIG_/, "") && sub(/=[ym]$/, "")) on[$0] = 1; next }
		n == "all" { print $1; next }
		$2 == n {
			k = split($3, s, ",")
			for (i = 1; i <= k; i++)
				if (s[i] != "-" && !(s[i] in on))
					next
			print $1
		}' "$build/.config" "$objects"
}
# warnings LOG OUT: compiler, objtool, Kconfig and modpost reports about
# the series' files, modules or options in LOG.
warnings() {
	{
		sed "s|$linux/||g" "$1" | grep -E '(warning|error):' | grep -F -f "$ours"
		grep -E '(WARNING|ERROR): modpost:' "$1" | grep -E 'argo'
		grep -E 'WARNING: unmet direct dependencies' "$1" | grep -w -F -f "$symbols"
	} >"$2" || true
}
# compiled LOG: the objects LOG shows being compiled.
compiled() {
	sed -n 's/^  CC\( \[M\]\)\{0,1\} *\([^ ]*\.o\)$/\2/p' "$1"
}

t1=$(date +%s)
# =m at every commit, in order, so the series can be bisected. Options
# with a prompt that the commit's Kconfig defines must come out as asked,
# and, at the last commit, every option of the project.
failed=
n=0
skipped=
for c in $commits; do
	n=$((n + 1))
	blog=$logdir/build-m-$n.log
	# A commit that changes nothing kbuild reads builds what the one
	# before it built (the documentation, say).
	if [ "$c" != "$last" ] && ! git -C "$linux" diff --name-only "$c^" "$c" |
		grep -Eq '(\.[chS]|/Kconfig[^/]*|/Makefile|/Kbuild)$'; then
		echo "nothing for kbuild in this commit" >"$blog"
		skipped="$skipped $n"
		continue
	fi
	git -C "$linux" checkout -q -f --detach "$c"
	checked=
	for o in $(awk '$3 == 1 { print $1 }' "$optinfo"); do
		grep -q "^config $o\$" "$linux/drivers/virtio/Kconfig" && checked="$checked $o"
	done
	[ "$c" = "$last" ] && checked=$all_options
	if ! build m "$blog" "$checked"; then
		failed="patch $n ($(git -C "$linux" log -1 --format=%s "$c")) does not build =m (log: $blog)"
		break
	fi
	warnings "$blog" "$blog.w"
	if [ -s "$blog.w" ]; then
		failed="patch $n: $(grep -c . "$blog.w") warnings about the series (W=1)"
		blog=$blog.w
		break
	fi
	# Each object of the series at the commit whose Makefile links it: its
	# source is new there, so it is compiled there.
	compiled "$blog" >"$blog.cc"
	missing=$(expected "$n" | grep -v -x -F -f "$blog.cc" || true)
	if [ -n "$missing" ]; then
		failed="patch $n does not compile $(echo "$missing" | tr '\n' ' ')(an option the base configuration lacks?)"
		break
	fi
done
if [ -n "$failed" ]; then
	fail patches/builds-m "$failed" "$blog" tail
else
	pass "patches/builds-m: $n commits${skipped:+ (nothing to build in$skipped)}, vmlinux and modules, W=1 clean, $(grep -c . "$objects") objects"
fi
echo "patches: =m builds took $(($(date +%s) - t1)) s"

# =y on the whole series; every object is compiled again (its flags
# change), so every one of them must show up.
t1=$(date +%s)
git -C "$linux" checkout -q -f --detach "$last"
blog=$logdir/build-y.log
if ! build y "$blog" "$all_options"; then
	fail patches/builds-y "the series does not build =y (log: $blog)" "$blog" tail
else
	warnings "$blog" "$blog.w"
	compiled "$blog" >"$blog.cc"
	missing=$(expected all | grep -v -x -F -f "$blog.cc" || true)
	if [ -s "$blog.w" ]; then
		fail patches/builds-y "$(grep -c . "$blog.w") warnings about the series (W=1)" "$blog.w"
	elif [ -n "$missing" ]; then
		fail patches/builds-y "not compiled: $(echo "$missing" | tr '\n' ' ')" "$blog"
	else
		pass "patches/builds-y: the whole series built in, vmlinux links, W=1 clean"
	fi
fi
echo "patches: =y build took $(($(date +%s) - t1)) s"
write_tap
