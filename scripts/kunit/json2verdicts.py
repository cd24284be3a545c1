#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""json2verdicts.py FILE: turn kunit.py's --json output into one line per
test case, "ok|not ok<TAB>kunit/<suite>/<case>[ # SKIP]", for kunit.sh.

Suites are the top-level groups. A parameterised case is a nested group:
each of its parameters gets its own line, kunit/<suite>/<case>/<param>.
The parser gives an empty name to a case it expected but never saw (the
kernel stopped early); such a case is reported as missing.
"""
import json
import sys


def clean(name):
    # '#' would start a TAP directive; keep names on one line.
    name = ' '.join(name.replace('#', '_').split())
    return name or '(missing: the kernel stopped before reporting it)'


def case_line(path, status):
    if status == 'PASS':
        return 'ok', path
    if status == 'SKIP':
        return 'ok', f'{path} # SKIP'
    return 'not ok', f'{path}: {status}'


def group_lines(group, path):
    lines = [case_line(f'{path}/{clean(case["name"])}', case['status'])
             for case in group.get('test_cases', [])]
    for sub in group.get('sub_groups', []):
        lines.extend(group_lines(sub, f'{path}/{clean(sub["name"])}'))
    if not lines:
        lines.append(('not ok', f'{path}: no result (0 tests run)'))
    return lines


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        top = json.load(f)
    lines = []
    # A bare case at the top level is a suite the parser never saw.
    for case in top.get('test_cases', []):
        lines.append(case_line(f'kunit/{clean(case["name"])}', case['status']))
    for suite in top.get('sub_groups', []):
        lines.extend(group_lines(suite, f'kunit/{clean(suite["name"])}'))
    if not lines:
        lines.append(('not ok', 'kunit: no test suite ran'))
    for status, desc in lines:
        print(f'{status}\t{desc}')


if __name__ == '__main__':
    main()
