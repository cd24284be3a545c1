#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dkms.sh: check the DKMS packaging (dkms.conf) the way a user's machine
# runs it: dkms add, build, install and remove --all, for both pinned
# kernels, against their installed headers (/lib/modules/<kver>/build).
# For each kernel, the installed modules must carry its vermagic, modpost
# must not have warned, and depmod must list them with their dependencies
# on one another. Writes build/results/dkms.tap.
#
# Nothing of the system is touched: dkms gets its own trees (--dkmstree,
# --sourcetree, --installtree) under build/dkms/, installs without depmod
# (run on the private tree instead), signs with a throw-away key, and the
# whole work directory goes at the end. The last check verifies that
# nothing under /lib/modules/<kver> or /var/lib/dkms changed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/pins.env"

results=$top/build/results
tap=$results/dkms.tap
logdir=$top/build/dkms
work=$logdir/work
. "$top/scripts/lib-verdicts.sh"
verdicts_begin dkms "$tap" "$logdir"
mkdir -p "$work"

# The system's trees this check must leave alone (DKMS's, the kernels'
# modules and their headers), and a time stamp.
system_trees=/var/lib/dkms
for kver in "$KERNEL_6_1" "$KERNEL_6_12"; do
	system_trees="$system_trees /lib/modules/$kver"
	[ -d "/lib/modules/$kver/build/" ] &&
		system_trees="$system_trees $(cd "/lib/modules/$kver/build/" && pwd -P)"
done
stamp=$logdir/stamp
touch "$stamp"
# finish: check that the system is untouched, then write_tap.
finish() {
	rm -rf "$work"
	# What is newer than the stamp; -xdev keeps find off other file systems.
	# shellcheck disable=SC2086 # one word per tree
	changed=$(find $system_trees -xdev -newer "$stamp" 2>/dev/null | head -n 20)
	if [ -n "$changed" ]; then
		echo "$changed" >"$logdir/system-changed"
		fail dkms/system-untouched "the system's module or DKMS trees changed" "$logdir/system-changed"
	else
		pass "dkms/system-untouched: nothing new in /var/lib/dkms, /lib/modules/<kver> or the headers"
	fi
	write_tap
}

if ! command -v dkms >/dev/null; then
	echo "dkms is not installed (run scripts/deps.sh)" >"$logdir/setup"
	fail dkms/setup "dkms not installed" "$logdir/setup"
	finish
fi

conf=$top/dkms.conf
name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"$/\1/p' "$conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$conf")
modules=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p' "$conf" | sort)

# dkms.conf must build what build-modules.sh builds: same options.
opts_conf=$(grep -o 'CONFIG_[A-Z0-9_]*=m' "$conf" | sort -u)
opts_build=$(grep -o 'CONFIG_[A-Z0-9_]*=m' "$top/scripts/build-modules.sh" | sort -u)
if [ "$opts_conf" = "$opts_build" ]; then
	pass "dkms/conf: MAKE[0] sets the options of scripts/build-modules.sh"
else
	diff <(echo "$opts_build") <(echo "$opts_conf") >"$logdir/conf.diff" || true
	fail dkms/conf "dkms.conf and scripts/build-modules.sh set different options (< build-modules.sh, > dkms.conf)" "$logdir/conf.diff"
fi

# The package's source: what the module build uses, as tracked or about to
# be (not ignored), like build-modules.sh's copy.
src=$work/src/$name-$version
mkdir -p "$src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard -- \
	dkms.conf Kbuild drivers include tests/kunit tests/selftest |
	rsync -a --ignore-missing-args --files-from=- --from0 ./ "$src/")

# --no-depmod on every command: install and remove would otherwise run
# depmod on the system's /lib/modules/<kver>, whatever --installtree says.
dkms_args=(--dkmstree "$work/dkms" --sourcetree "$work/src" --installtree "$work/lib/modules"
	--no-depmod)
mkdir -p "$work/dkms"
# The signing key is made by dkms on first use; keep it in our tree.
export mok_signing_key=$work/mok.key mok_certificate=$work/mok.pub

log=$logdir/add.log
if dkms add -m "$name" -v "$version" "${dkms_args[@]}" >"$log" 2>&1; then
	pass "dkms/add: $name/$version"
else
	fail dkms/add "dkms add failed" "$log" tail
	finish
fi

for kver in "$KERNEL_6_1" "$KERNEL_6_12"; do
	if [ ! -d "/lib/modules/$kver/build" ]; then
		echo "no headers at /lib/modules/$kver/build (run scripts/deps.sh)" >"$logdir/setup-$kver"
		fail "dkms/build/$kver" "no kernel headers" "$logdir/setup-$kver"
		continue
	fi
	log=$logdir/build-$kver.log
	if ! nice dkms build -m "$name" -v "$version" -k "$kver" "${dkms_args[@]}" >"$log" 2>&1; then
		cat "$work/dkms/$name/$version/build/make.log" >>"$log" 2>/dev/null || true
		fail "dkms/build/$kver" "dkms build failed" "$log" tail
		continue
	fi
	# Every module the Kbuild files make must be listed in dkms.conf.
	made=$(sed -n 's|^ *LD \[M\] *.*/\([^/]*\)\.ko$|\1|p' \
		"$work/dkms/$name/$version/$kver/x86_64/log/make.log" | sort)
	if [ "$made" != "$modules" ]; then
		{
			echo "built by make:"
			echo "$made"
			echo "listed in dkms.conf:"
			echo "$modules"
		} >"$logdir/modules-$kver"
		fail "dkms/build/$kver" "dkms.conf's BUILT_MODULE_NAME differs from the modules built" "$logdir/modules-$kver"
		continue
	fi
	pass "dkms/build/$kver: $(echo "$modules" | wc -l) modules"

	# A private install tree for this kernel, as dkms expects it.
	mkdir -p "$work/lib/modules/$kver"
	log=$logdir/install-$kver.log
	missing=
	if dkms install -m "$name" -v "$version" -k "$kver" "${dkms_args[@]}" \
		>"$log" 2>&1; then
		for m in $modules; do
			ls "$work/lib/modules/$kver/updates/dkms/$m.ko"* >/dev/null 2>&1 ||
				missing="$missing $m"
		done
	else
		missing=failed
	fi
	if [ -n "$missing" ]; then
		fail "dkms/install/$kver" "dkms install: ${missing# }" "$log" tail
		continue
	fi
	pass "dkms/install/$kver: into a private /lib/modules/$kver"

	# The modules are for this kernel, modpost found every symbol they
	# need (the kernel's Module.symvers lists its modules' exports too),
	# and depmod sees their dependencies on one another.
	log=$logdir/modules-$kver.log
	: >"$log"
	grep -E '(WARNING|ERROR): modpost' "$work/dkms/$name/$version/$kver/x86_64/log/make.log" >>"$log" || true
	for f in "$work/lib/modules/$kver/updates/dkms/"*.ko*; do
		magic=$(modinfo -F vermagic "$f")
		case $magic in
		"$kver "*) ;;
		*) echo "$f: vermagic '$magic'" >>"$log" ;;
		esac
	done
	# The private tree lacks the kernel's lists; empty ones keep depmod quiet.
	for list in modules.order modules.builtin modules.builtin.modinfo; do
		: >"$work/lib/modules/$kver/$list"
	done
	depmod -b "$work" "$kver" >>"$log" 2>&1 || echo "depmod failed" >>"$log"
	# Each module's line in modules.dep must name the modules of this
	# package it depends on (modinfo's depends), as modprobe will load them.
	dep=$work/lib/modules/$kver/modules.dep
	cp "$dep" "$logdir/modules.dep-$kver" 2>/dev/null || true
	for m in $modules; do
		line=$(grep "^updates/dkms/$m\.ko[^:]*:" "$dep" 2>/dev/null) || {
			echo "$m not in modules.dep" >>"$log"
			continue
		}
		for d in $(modinfo -F depends "$work/lib/modules/$kver/updates/dkms/$m.ko"* | tr ',' ' '); do
			echo "$modules" | grep -qx "$d" || continue
			echo "$line" | grep -q "updates/dkms/$d\.ko" ||
				echo "modules.dep: $m lacks its dependency $d: $line" >>"$log"
		done
	done
	if [ -s "$log" ]; then
		fail "dkms/modules/$kver" "$(grep -c . "$log") problems" "$log"
	else
		pass "dkms/modules/$kver: vermagic $kver, no modpost warning, dependencies in modules.dep"
	fi
done

log=$logdir/remove.log
if dkms remove -m "$name" -v "$version" --all "${dkms_args[@]}" >"$log" 2>&1 &&
	[ -z "$(find "$work/lib/modules" -name '*.ko*')" ] && [ ! -e "$work/dkms/$name" ]; then
	pass "dkms/remove: --all, nothing left installed"
else
	fail dkms/remove "dkms remove --all left modules behind or failed" "$log" tail
fi
finish
