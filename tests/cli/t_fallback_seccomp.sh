#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# With io_uring blocked by seccomp, the default engine falls back to threads
# silently (a notice only with -v) and copies correctly.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_noiouring
mk_tree src

RC=0
"$NOIOURING" "$UCP" -v -r src dst >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "-v -r under seccomp"
cmp_trees src dst
expect_out_line "'src' -> 'dst'"
expect_err_has "ucp: io_uring unavailable ("
expect_err_has "; using the thread engine"

RC=0
"$NOIOURING" "$UCP" -r src dst2 >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "-r under seccomp"
expect_err_empty
expect_out_empty
cmp_trees src dst2
