#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-clang.sh: build the modules with Debian's clang (LLVM=1) and W=1,
# any warning failing it. Run by scripts/check.sh (make check); writes
# build/results/check-clang.tap.
#
# Debian's kernels are built with gcc, and their headers package carries
# gcc's flags in its configuration: clang rejects some of them (for one,
# -mfunction-return=thunk-extern, which clang 14 lacks), so the modules
# cannot be built with clang against the installed headers. Instead, the
# pinned linux-source is configured with Debian's own 6.12 configuration
# for clang (olddefconfig drops what clang cannot do) and prepared once,
# and the modules are built against it out of tree, exactly as
# scripts/build-modules.sh builds them (same Kbuild files, same options),
# plus the KUnit suites, which Debian's configuration cannot load. modpost
# resolves symbols against Debian's Module.symvers of the same kernel.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/pins.env"

results=$top/build/results
tap=$results/check-clang.tap
logdir=$top/build/clang
jobs=${JOBS:-$(nproc)}
. "$top/scripts/lib-verdicts.sh"
verdicts_begin clang "$tap" "$logdir"

kver=$KERNEL_6_12
headers=/lib/modules/$kver/build
pkg_version=$(dpkg-query -W -f='${Version}' "$LINUX_SOURCE_PKG" 2>/dev/null) || pkg_version=
tarball=/usr/src/$LINUX_SOURCE_PKG.tar.xz
missing=
[ "$pkg_version" = "$LINUX_SOURCE_PKG_VERSION" ] && [ -f "$tarball" ] ||
	missing="$missing $LINUX_SOURCE_PKG=$LINUX_SOURCE_PKG_VERSION"
[ -f "$headers/.config" ] || missing="$missing linux-headers-$kver"
for tool in clang ld.lld llvm-ar llvm-nm llvm-objcopy llvm-objdump llvm-readelf llvm-strip; do
	command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "missing:$missing (run scripts/deps.sh)" >"$logdir/setup"
	fail clang/setup "missing:$missing" "$logdir/setup"
	write_tap
fi

# Everything that shapes the prepared tree goes into the key; bump
# prepare_format when the preparation below changes.
prepare_format=1
clang_version=$(clang --version | head -n 1)
hash=$({ echo "$prepare_format"; echo "$pkg_version"; echo "$clang_version"
	cat "$headers/.config"; } | sha256sum | cut -c1-12)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/virtio-argo/clang
work=$cache/$(echo "$pkg_version" | tr -c 'A-Za-z0-9.+\n-' '_')-$hash
srcdir=$work/src
objdir=$work/build
# One key is enough: a new clang or kernel makes the old one useless.
cache_claim "$work" 1

kmake() {
	nice make -C "$srcdir" O="$objdir" LLVM=1 -j"$jobs" "$@"
}
t0=$(date +%s)
if [ ! -f "$objdir/.prepared" ]; then
	echo "clang: preparing $objdir (once per key)"
	log=$logdir/prepare.log
	rm -rf "$srcdir" "$objdir"
	mkdir -p "$srcdir" "$objdir"
	if ! {
		nice tar -xJf "$tarball" -C "$srcdir" --strip-components=1 &&
		cp "$headers/.config" "$objdir/.config" &&
		# No BTF (it needs vmlinux) and no signing keys (Debian's are not
		# in the source); the rest stays Debian's.
		"$srcdir/scripts/config" --file "$objdir/.config" \
			-d DEBUG_INFO_BTF -d MODULE_SIG_ALL --set-str MODULE_SIG_KEY "" \
			--set-str SYSTEM_TRUSTED_KEYS "" --set-str SYSTEM_REVOCATION_KEYS "" &&
		kmake olddefconfig && kmake modules_prepare &&
		cp "$headers/Module.symvers" "$objdir/Module.symvers"
	} >"$log" 2>&1; then
		fail clang/prepare "configuring or preparing linux-source for clang failed" "$log" tail
		write_tap
	fi
	touch "$objdir/.prepared"
fi
if grep -qx 'CONFIG_CC_IS_CLANG=y' "$objdir/.config"; then
	pass "clang/prepare: linux-source $pkg_version, Debian's config, $clang_version"
else
	fail clang/prepare "the prepared tree is not configured for clang" "$objdir/.config"
	write_tap
fi
echo "clang: tree ready after $(($(date +%s) - t0)) s"

# A fresh copy of the sources each time, so every file is compiled and
# no warning hides behind an up-to-date object; the same files as
# build-modules.sh copies.
t0=$(date +%s)
copy=$logdir/src
mkdir -p "$copy"
(cd "$top" && git ls-files -z --cached --others --exclude-standard -- \
	Kbuild drivers include tests/kunit tests/selftest |
	rsync -a --ignore-missing-args --files-from=- --from0 ./ "$copy/")
# shellcheck disable=SC2046 # the options of build-modules.sh, one word each
options=$(grep -o 'CONFIG_[A-Z0-9_]*=m' "$top/scripts/build-modules.sh" | sort -u)
log=$logdir/build.log
rc=0
# shellcheck disable=SC2086
nice make -C "$objdir" M="$copy" LLVM=1 -j"$jobs" W=1 $options \
	CONFIG_VIRTIO_ARGO_KUNIT_TEST=m KBUILD_MODPOST_WARN=1 modules >"$log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
	fail clang/build "module build failed (exit status $rc)" "$log" tail
elif ! grep -q 'MODPOST' "$log"; then
	fail clang/build "the build stopped before modpost" "$log" tail
else
	pass "clang/build: $(find "$copy" -name '*.ko' | wc -l) modules, LLVM=1 W=1, against $kver's configuration"
fi

# clang's diagnostics and modpost's, paths made relative to the repo. The
# KUnit module cannot resolve KUnit's symbols here (Debian has no KUnit).
sed -e "s|$copy/||g" "$log" |
	grep -E '(warning|error):|(WARNING|ERROR): modpost:' |
	grep -Ev 'WARNING: modpost: "[^"]*" \[tests/kunit/[^]]*\.ko\] undefined!' |
	grep -Ev 'WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings' \
	>"$logdir/warnings" || true
if [ -s "$logdir/warnings" ]; then
	fail clang/w1 "$(grep -c . "$logdir/warnings") warnings" "$logdir/warnings"
else
	pass "clang/w1: no warning in our files"
fi
echo "clang: module build took $(($(date +%s) - t0)) s"
write_tap
