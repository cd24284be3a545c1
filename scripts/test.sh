#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every test stage, then print one summary line. Each stage writes
# TAP results to build/results/<stage>*.tap; a stage that adds none is
# counted as one failure. Stages run even when an earlier one failed.
#   check     static checks, gcc W=1 + sparse on 6.1 and 6.12, clang W=1
#   kunit     KUnit suites in a KUnit kernel under QEMU
#   e2e-sim   the e2e scripts on the simulated Argo: each kernel alone under
#             QEMU, no Xen
#   e2e       real Xen 4.17 with Argo under QEMU, both kernels, dom0 loopback
#   e2e-domu  the same test bed across domains: frontend in a PV domU,
#             FLASK allow and deny on the XSM build
#   patches   the kernel patch series: checkpatch, git am, in-tree builds
#   dkms      dkms add/build/install/remove against both kernels' headers
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
results=$top/build/results
rm -rf "$results"
mkdir -p "$results"

times=
for stage in check kunit e2e-sim e2e e2e-domu patches dkms; do
	echo "=== $stage"
	t0=$(date +%s)
	before=$(ls "$results")
	"$top/scripts/$stage.sh"
	rc=$?
	if [ "$(ls "$results")" = "$before" ]; then
		echo "not ok 1 - $stage: stage exited with status $rc and wrote no results" \
			>"$results/$stage.tap"
	fi
	times="$times $stage $(($(date +%s) - t0)) s,"
done
echo "stage times:${times%,}"
exec "$top/scripts/summary.sh" "$results"
