#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check.sh: static checks on every .c/.h file under drivers/, include/ and
# tests/, each gated at zero warnings:
#   check/checkpatch        checkpatch.pl --strict --no-tree -f
#   check/kernel-doc        kernel-doc -none -Wall
#   check/w1/<kver>         W=1 module build (compiler and modpost warnings)
#   check/sparse/<kver>     sparse (C=2) over the same build
# for both pinned kernels (for 6.12, the module build includes the KUnit
# suites, compiled but not loadable there). Writes build/results/check.tap
# and prints the offending lines of every failed check. Then
# scripts/check-clang.sh builds the modules with clang (W=1), writing
# build/results/check-clang.tap; either failing fails make check.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/pins.env"

results=$top/build/results
tap=$results/check.tap
logdir=$top/build/check
. "$top/scripts/lib-verdicts.sh"
verdicts_begin check "$tap" "$logdir"

cd "$top"
sources=$(find drivers include tests -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
if [ -z "$sources" ]; then
	echo "no .c or .h file under drivers/, include/ or tests/" >"$logdir/sources"
	fail check/sources "nothing to check" "$logdir/sources"
	write_tap
fi

# checkpatch.pl and kernel-doc from the pinned kernel source; checkpatch
# finds spelling.txt and const_structs.checkpatch next to itself.
tools=${XDG_CACHE_HOME:-$HOME/.cache}/virtio-argo/check/$(echo "$LINUX_SOURCE_PKG_VERSION" | tr -c 'A-Za-z0-9.+\n-' '_')
if [ ! -f "$tools/.extracted" ]; then
	pkg_version=$(dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" 2>/dev/null) || pkg_version=
	if [ "$pkg_version" != "$LINUX_SOURCE_PKG_VERSION" ]; then
		echo "need $LINUX_SOURCE_PKG=$LINUX_SOURCE_PKG_VERSION, have '${pkg_version:-none}' (run scripts/deps.sh)" >"$logdir/tools"
		fail check/tools "$LINUX_SOURCE_PKG $LINUX_SOURCE_PKG_VERSION not installed" "$logdir/tools"
		write_tap
	fi
	rm -rf "$tools"
	mkdir -p "$tools"
	tar -xJf "/usr/src/$LINUX_SOURCE_PKG.tar.xz" -C "$tools" --strip-components=1 \
		"$LINUX_SOURCE_PKG/scripts/checkpatch.pl" "$LINUX_SOURCE_PKG/scripts/spelling.txt" \
		"$LINUX_SOURCE_PKG/scripts/const_structs.checkpatch" "$LINUX_SOURCE_PKG/scripts/kernel-doc"
	touch "$tools/.extracted"
fi

# checkpatch exits non-zero on any ERROR, WARNING or (with --strict) CHECK.
log=$logdir/checkpatch.log
rc=0
# shellcheck disable=SC2086 # one word per file
perl "$tools/scripts/checkpatch.pl" --strict --no-tree --show-types --no-summary \
	--quiet -f $sources >"$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || grep -Eq '^(ERROR|WARNING|CHECK):' "$log"; then
	fail check/checkpatch "$(grep -Ec '^(ERROR|WARNING|CHECK):' "$log") reports" "$log"
else
	pass check/checkpatch
fi

# kernel-doc prints nothing for clean files; headers carry API comments too.
log=$logdir/kernel-doc.log
rc=0
# shellcheck disable=SC2086
perl "$tools/scripts/kernel-doc" -none -Wall $sources >"$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || [ -s "$log" ]; then
	fail check/kernel-doc "$(grep -c . "$log") lines of warnings" "$log"
else
	pass check/kernel-doc
fi

# Our Argo ABI header against Xen's own (libxen-dev): static asserts on
# every size, offset and constant, so a mismatch does not compile.
log=$logdir/abi.log
if gcc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only \
	tests/abi/argo_abi_check.c >"$log" 2>&1; then
	pass check/abi-matches-xen
else
	fail check/abi-matches-xen "include/xen/interface/argo.h differs from Xen's public argo.h" "$log"
fi

# Module builds run in a private copy of the repo, rebuilt from scratch
# every time: an incremental build would hide the warnings of unchanged
# objects, and build/modules/ stays untouched for the other stages.
tree=$logdir/tree
for kver in "$KERNEL_6_1" "$KERNEL_6_12"; do
	rm -rf "$tree"
	mkdir -p "$tree"
	cp -a Kbuild drivers include tests scripts "$tree/"
	log=$logdir/build-$kver.log
	rc=0
	# The KUnit suites run only in the 6.12 KUnit kernel, so they are
	# compiled against 6.12 too, for W=1 and sparse only: Debian's kernel
	# lacks CONFIG_KUNIT, so modpost may only warn about the test module's
	# unresolved symbols, which are then ignored.
	kunit_suites=
	[ "$kver" = "$KERNEL_6_12" ] &&
		kunit_suites="CONFIG_VIRTIO_ARGO_KUNIT_TEST=m KBUILD_MODPOST_WARN=1"
	# shellcheck disable=SC2086 # empty or two make arguments
	nice "$tree/scripts/build-modules.sh" "$kver" W=1 C=2 $kunit_suites \
		>"$log.out" 2>"$log" || rc=$?
	src=$tree/build/modules/$kver/src/
	# Report paths relative to the repo.
	sed -i -e "s|$src||g" \
		-e '/WARNING: modpost: "[^"]*" \[tests\/kunit\/[^]]*\.ko\] undefined!/d' \
		-e '/WARNING: modpost: suppressed [0-9]* unresolved symbol warnings/d' "$log"
	# gcc follows each diagnostic with the source line ("  38 | code");
	# sparse never does. modpost's WARNING/ERROR lines count as W=1.
	awk -v gcc="$logdir/w1-$kver" -v sparse="$logdir/sparse-$kver" '
		function flush() { if (diag != "") print diag > sparse; diag = "" }
		/^ *[0-9]* \| / && diag != "" { print diag > gcc; diag = ""; next }
		{ flush() }
		/(warning|error):/ { diag = $0 }
		/(WARNING|ERROR): modpost:/ { print > gcc }
		END { flush(); printf "" > gcc; printf "" > sparse }' "$log"
	if [ "$rc" -ne 0 ]; then
		fail "check/w1/$kver" "module build failed (exit status $rc)" "$log"
	elif [ -s "$logdir/w1-$kver" ]; then
		fail "check/w1/$kver" "$(grep -c . "$logdir/w1-$kver") warnings" "$logdir/w1-$kver"
	else
		pass "check/w1/$kver"
	fi
	# Sparse runs with each compile; modpost comes after all of them.
	if [ -s "$logdir/sparse-$kver" ]; then
		fail "check/sparse/$kver" "$(grep -c . "$logdir/sparse-$kver") warnings" "$logdir/sparse-$kver"
	elif ! grep -q '^ *MODPOST' "$log"; then
		fail "check/sparse/$kver" "incomplete: the build stopped before every file was checked" "$log"
	else
		pass "check/sparse/$kver"
	fi
done
rm -rf "$tree"

clang_rc=0
"$top/scripts/check-clang.sh" || clang_rc=$?
write_tap "$clang_rc"
