#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# summary.sh DIR: count the top-level TAP results in DIR/*.tap, list the
# failures and skips, and end with "N passed, N failed, N skipped".
# Exits non-zero when anything failed or nothing ran.
set -u
dir=$1
cat "$dir"/*.tap 2>/dev/null | awk '
	/^not ok / { failed++; print "FAILED: " $0; next }
	/^ok .*# *[Ss][Kk][Ii][Pp]/ { skipped++; print "SKIPPED: " $0; next }
	/^ok / { passed++ }
	END {
		printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
		exit (failed > 0 || passed + failed == 0) ? 1 : 0
	}'
