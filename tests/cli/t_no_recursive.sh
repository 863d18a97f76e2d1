#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Without -r a directory operand is skipped with a message and exit 1, and the
# other operands are still copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir d out
printf 'inside\n' >d/x
printf 'f\n' >f

ucp_try d f out
expect_rc 1
expect_err_line "ucp: -r not specified; omitting directory 'd'"
assert_same_file f out/f
assert_absent out/d

ucp_try d newdir
expect_rc 1 "lone directory operand"
expect_err_line "ucp: -r not specified; omitting directory 'd'"
assert_absent newdir
