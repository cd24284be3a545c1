#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run every test stage, then print one summary line. Each stage writes
# TAP results to build/results/<stage>*.tap; a stage that leaves none is
# counted as one failure. Stages run even when an earlier one failed.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
results=$top/build/results
rm -rf "$results"
mkdir -p "$results"

for stage in check kunit e2e; do
	echo "=== $stage"
	"$top/scripts/$stage.sh"
	rc=$?
	if ! ls "$results/$stage"*.tap >/dev/null 2>&1; then
		echo "not ok 1 - $stage: stage exited with status $rc and wrote no results" \
			>"$results/$stage.tap"
	fi
done
exec "$top/scripts/summary.sh" "$results"
