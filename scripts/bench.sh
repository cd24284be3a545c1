#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh: benchmarks on the Xen test bed (tests/bench/*.sh, with the e2e
# helpers), on Linux 6.12 unless E2E_KERNELS says otherwise. Figures are
# the "bench:" lines of the serial log, printed again at the end; each
# benchmark compares against a baseline measured in the same boot.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
tests=$top/build/bench-tests
rm -rf "$tests"
mkdir -p "$tests"
cp "$top/tests/e2e/lib-virtio-argo.sh" "$top"/tests/bench/*.sh "$tests/"
rc=0
E2E_KERNELS=${E2E_KERNELS:-6.12} TESTS_DIR=$tests "$top/scripts/e2e.sh" || rc=$?
echo
echo "=== benchmarks (QEMU TCG; only ratios within one run mean anything)"
grep -h '^bench: ' "$top"/build/e2e/*/serial.log | sed 's/^bench: /  /' || true
exit "$rc"
