#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit.sh [kunit.py run arguments, e.g. a filter glob "argo_sim.*"]
#
# Build a KUnit kernel from Debian's linux-source with the project's suites
# built in, run it with kunit.py under QEMU (TCG), and write
# build/results/kunit.tap, one line per test case. A kernel warning or a
# KASAN/UBSAN/lockdep report fails the run even when every case passed.
#
# The source tree and the build directory live in the user's cache, keyed by
# the source package version, the kunitconfig and the tree-wiring script, so
# reruns are incremental. The repo's sources are linked in, never copied.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/pins.env"

kunitconfig=$top/tests/kunit/.kunitconfig
prepare_tree=$top/scripts/kunit/prepare-tree.sh
results=$top/build/results
tap=$results/kunit.tap
logdir=$top/build/kunit
# QEMU (TCG) with KASAN and lockdep: boot plus tests take seconds; this
# bounds a hang. The whole kunit.py call is bounded too, build included.
qemu_timeout=${KUNIT_QEMU_TIMEOUT:-180}
run_timeout=${KUNIT_RUN_TIMEOUT:-3600}

. "$top/scripts/lib-verdicts.sh"
verdicts_begin kunit "$tap" "$logdir"

# The tarball must be the pinned one: the cache key and the results depend
# on it.
pkg_version=$(dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" 2>/dev/null) || pkg_version=
tarball=/usr/src/$LINUX_SOURCE_PKG.tar.xz
if [ "$pkg_version" != "$LINUX_SOURCE_PKG_VERSION" ] || [ ! -f "$tarball" ]; then
	echo "kunit: need $LINUX_SOURCE_PKG=$LINUX_SOURCE_PKG_VERSION (have '${pkg_version:-none}'; run scripts/deps.sh)" >&2
	fail kunit/setup "$LINUX_SOURCE_PKG $LINUX_SOURCE_PKG_VERSION not installed"
	write_tap
fi

# Only what shapes the tree goes into the key; changes to this script or
# to the sources are handled incrementally by make.
hash=$({ echo "$pkg_version"; cat "$kunitconfig" "$prepare_tree"; } |
	sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/virtio-argo/kunit
work=$cache/$(echo "$pkg_version" | tr -c 'A-Za-z0-9.+\n-' '_')-$hash
srcdir=$work/src
builddir=$work/build
# One run per tree at a time: clones elsewhere share it and re-point the
# symlinks. Two trees are kept; older keys are dead weight (a tree plus
# its build is a few GiB).
cache_claim "$work" 2

nice "$prepare_tree" "$tarball" "$srcdir" "$top"

# make decides on mtimes, so objects built from another clone's files could
# look up to date: drop the project's objects when the repo path changes.
if [ "$(cat "$work/repo" 2>/dev/null || true)" != "$top" ]; then
	rm -rf "$builddir/drivers/virtio/argo" "$builddir/drivers/virtio/argo-kunit" \
		"$builddir/drivers/virtio/argo-selftest"
	echo "$top" >"$work/repo"
fi

runlog=$logdir/kunit-run.log
json=$logdir/kunit.json
rm -f "$json" "$builddir/test.log"
echo "kunit: tree $srcdir, build $builddir, log $runlog"
# -k: on a build error, still build the rest of the kernel, so the next run
# after the fix is incremental. TCG explicitly: KVM hangs here. panic=-1:
# a panic reboots at once, which ends QEMU (-no-reboot), instead of waiting
# for the timeout.
set +e
{
	timeout -k 30 "$run_timeout" nice python3 "$srcdir/tools/testing/kunit/kunit.py" run \
		--arch=x86_64 --build_dir="$builddir" --kunitconfig="$kunitconfig" \
		--jobs="$(nproc)" --make_options=-k --timeout="$qemu_timeout" \
		--qemu_args='-accel tcg' --kernel_args=panic=-1 --json="$json" "$@" 2>&1
	echo $? >"$logdir/kunit-run.rc"
} | tee "$runlog"
set -e
kunit_rc=$(cat "$logdir/kunit-run.rc")

# kunit.py checks the config only at (re)configuration; check the final
# .config against every line of the kunitconfig ourselves.
if [ -f "$builddir/.config" ]; then
	missing=
	while IFS= read -r opt; do
		case $opt in
		CONFIG_*=*)
			grep -qxF "$opt" "$builddir/.config" || missing="$missing ${opt%%=*}" ;;
		esac
	done <"$kunitconfig"
	if [ -n "$missing" ]; then
		echo "kunit: not set in $builddir/.config:$missing" >&2
		fail kunit/config "not set:$missing"
	else
		pass kunit/config
	fi
fi

if [ ! -s "$json" ] || ! grep -q 'KTAP version\|TAP version' "$builddir/test.log" 2>/dev/null; then
	echo "kunit: no test results (kunit.py exit status $kunit_rc)" >&2
	# make -k buries the first errors under "not remade" lines.
	echo "--- first errors in $runlog:" >&2
	grep -E -m 20 '(error|warning):|No rule to make|^ERROR|Missing:' "$runlog" >&2 || true
	echo "--- last lines of $runlog:" >&2
	tail -n 40 "$runlog" >&2
	if ! grep -q 'Building KUnit Kernel' "$runlog"; then
		fail kunit/configure "kunit.py could not configure the kernel (log: $runlog)"
	elif ! grep -q 'Starting KUnit Kernel' "$runlog"; then
		fail kunit/build "the KUnit kernel did not build (log: $runlog)"
	else
		fail kunit/run "no KTAP output (kunit.py exit status $kunit_rc, log: $runlog)"
	fi
	write_tap
fi

python3 "$top/scripts/kunit/json2verdicts.py" "$json" >>"$verdicts"

# Reports of the kernel's bug detectors, which a passing case can hide.
if ! "$top/scripts/kunit/scan-kernel-log.sh" "$builddir/test.log" >"$logdir/kernel-reports"; then
	echo "kunit: the kernel reported problems during the run:" >&2
	cat "$logdir/kernel-reports" >&2
	fail kunit/kernel-log "$(head -n 1 "$logdir/kernel-reports" | cut -c1-150)"
else
	pass "kunit/kernel-log: no warning, KASAN, UBSAN or lockdep report"
fi
write_tap
