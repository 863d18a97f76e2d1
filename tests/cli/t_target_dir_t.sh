#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -t DIR and --target-directory=DIR copy every operand into DIR.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'a\n' >a
printf 'b\n' >b
mk_sizes src
mkdir d1 d2 d3 d4

ucp_try -t d1 a b
expect_rc 0 "-t DIR"
assert_same_file a d1/a
assert_same_file b d1/b

ucp_try --target-directory=d2 a
expect_rc 0 "--target-directory=DIR"
assert_same_file a d2/a

ucp_try --target-directory d3 b a
expect_rc 0 "--target-directory DIR"
assert_same_file a d3/a
assert_same_file b d3/b

ucp_try -r -t d4 src a
expect_rc 0 "-r -t DIR"
cmp_trees src d4/src
assert_same_file a d4/a

ucp_try -t d4
expect_rc 2 "-t without sources"
expect_err_exact "ucp: missing file operand" "$TRY_LINE"
