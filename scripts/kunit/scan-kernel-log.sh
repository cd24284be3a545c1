#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# scan-kernel-log.sh LOG: look for reports of the kernel's bug detectors in
# the console log LOG. Prints a one-line summary of the first report (with
# the KUnit case that was running), then every report with some context, and
# exits 1; exits 0 when there is none.
set -eu
log=$1

# WARNING: covers WARN_ON and most lockdep reports; BUG: covers KASAN,
# DEBUG_ATOMIC_SLEEP and scheduling-while-atomic; the rest are oopses,
# UBSAN, stalls and the lockdep lines not headed by WARNING:.
patterns='WARNING:|BUG:|UBSAN:|KASAN:|Oops|Kernel panic|general protection fault|kernel BUG at|INFO: task .* blocked for more than|rcu: INFO:|detected stall|DEBUG_LOCKS_WARN_ON|INFO: possible|INFO: trying to register non-static key|inconsistent lock state|Call Trace:'

grep -Eq "$patterns" "$log" || exit 0

# KUnit prints a case's result line after the case ends, so the first result
# line after the report names the case; the last "# Subtest:" one level in
# names the suite.
first=$(grep -Enm 1 "$patterns" "$log" | cut -d: -f1)
awk -v first="$first" '
	NR < first && /^    # Subtest: / { suite = $3 }
	NR < first && /^KTAP version/ { started = 1 }
	NR == first { report = $0; sub(/^\[[ 0-9.]*\] */, "", report) }
	NR > first && /^    (not )?ok [0-9]+ / {
		sub(/^    (not )?ok [0-9]+ /, ""); sub(/ #.*/, ""); kcase = $0; exit
	}
	END {
		where = started ? "during kunit/" suite "/" kcase : "during boot"
		if (started && kcase == "") where = "during kunit/" suite ", before its case ended"
		print report " (" where ")"
	}' "$log"
echo "--- reports in $log:"
grep -En -B 2 -A 25 "$patterns" "$log" | head -n 400
exit 1
