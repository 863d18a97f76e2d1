#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --progress given alone, with stderr no terminal (a log), prints plain
# lines, each starting with the time of day; without --progress nothing
# is printed there.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 3000
mk_file src/big $((32 << 20))

# Stopped after 10 files for over two seconds: a plain line is due when it
# goes on (the first comes after a second, then one every two).
stop_start 10 -r --progress src dst
sleep 2.2
stop_resume
expect_ok
cmp_trees src dst
grep -qE '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] [0-9.]+[BKMGTP]/[0-9.]+[BKMGTP]\+?  [0-9]+/[0-9]+\+? files  ' "$T_ERR" ||
	{ show_last; fail "no time-stamped plain progress line"; }

rm -rf dst
ucp_try -r src dst
expect_ok
expect_err_empty
