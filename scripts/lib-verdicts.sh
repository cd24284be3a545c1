# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# lib-verdicts.sh: what the check stages (check.sh, check-clang.sh,
# kunit.sh, patches.sh, dkms.sh) share: a list of verdicts, each a line
# "ok|not ok<TAB>description", numbered into the stage's TAP file at the
# end, and the locking and pruning of their build caches. Sourced.

# verdicts_begin LABEL TAP LOGDIR: start an empty list for a stage whose
# lines begin with LABEL, whose results go to TAP and whose logs go to
# LOGDIR (emptied).
verdicts_begin() {
	verdict_label=$1
	verdict_tap=$2
	verdict_logdir=$3
	mkdir -p "$(dirname "$verdict_tap")"
	rm -rf "$verdict_logdir"
	mkdir -p "$verdict_logdir"
	rm -f "$verdict_tap"
	verdicts=$verdict_logdir/verdicts
	: >"$verdicts"
	verdict_start=$(date +%s)
}

# pass NAME: record a passed check.
pass() {
	printf 'ok\t%s\n' "$1" >>"$verdicts"
	echo "$verdict_label: ok $1"
}

# fail NAME REASON [FILE [tail]]: record a failed check and print FILE's
# first lines (the offending ones), or with "tail" its last ones (a log).
# Printed on stdout, to keep them in order with the other checks.
fail() {
	printf 'not ok\t%s: %s\n' "$1" "$2" >>"$verdicts"
	echo "$verdict_label: FAILED $1: $2"
	if [ $# -gt 3 ] && [ -f "$3" ]; then
		tail -n 60 "$3"
	elif [ $# -gt 2 ] && [ -f "$3" ]; then
		head -n 200 "$3"
	fi
	return 0
}

# write_tap [STATUS]: number the verdicts into the TAP file and exit: 1 if
# any check failed, else STATUS (0 by default).
write_tap() {
	awk -F '\t' '{ lines[NR] = $1 " " NR " - " $2 }
		END { print "1.." NR; for (i = 1; i <= NR; i++) print lines[i] }' \
		"$verdicts" >"$verdict_tap"
	echo "$verdict_label: $(($(date +%s) - verdict_start)) s in all"
	if grep -q '^not ok' "$verdict_tap"; then
		echo "$verdict_label: FAILED (see $verdict_tap)"
		exit 1
	fi
	echo "$verdict_label: all $(grep -c '^ok' "$verdict_tap") passed"
	exit "${1:-0}"
}

# skip_rest NAME...: the checks that cannot run after a failure count as
# failures; then write_tap.
skip_rest() {
	for name in "$@"; do
		printf 'not ok\t%s: not run, an earlier check failed\n' "$name" >>"$verdicts"
	done
	write_tap
}

# cache_claim DIR KEEP: take the cache directory DIR for this run (one run
# at a time: file descriptor 9 holds its lock until the script exits),
# mark it used, and remove its siblings but for the KEEP most recently
# used, unless another run holds them.
cache_claim() {
	mkdir -p "$1"
	exec 9>"$1/lock"
	if ! flock -n 9; then
		echo "$verdict_label: waiting for another run using $1"
		flock 9
	fi
	touch "$1/last-used"
	ls -1t "$(dirname "$1")"/*/last-used 2>/dev/null | tail -n "+$(($2 + 1))" |
	while IFS= read -r stamp; do
		old=${stamp%/last-used}
		[ "$old" = "$1" ] && continue
		if flock -n "$old/lock" true 2>/dev/null; then
			echo "$verdict_label: removing stale cache $old"
			rm -rf "$old"
		fi
	done
}
