#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: build the modules, boot the Xen test bed (Linux 6.12 dom0) and
# run virtio-blk over virtio-argo on real Xen (tests/demo/), then show what
# happened.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rc=0
E2E_KERNELS=6.12 TESTS_DIR="$top/tests/demo" "$top/scripts/e2e.sh" || rc=$?
echo
echo "=== virtio-blk over virtio-argo, Xen $(. "$top/scripts/pins.env"; echo "$XEN_SRC_VERSION") with argo=1"
grep '^demo: ' "$top"/build/e2e/*/serial.log | sed 's/^[^:]*:demo: /  /' || true
grep -h '^\(not \)\{0,1\}ok' "$top"/build/results/e2e-*.tap | sed 's/^/  /'
exit "$rc"
