#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A missing source gives "cannot stat", exit 1 and creates nothing; other
# operands are still copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

ucp_try nosuch dst
expect_rc 1
expect_err_exact "ucp: cannot stat 'nosuch': No such file or directory"
assert_absent dst

ucp_try -r nosuch dst
expect_rc 1 "with -r"
expect_err_exact "ucp: cannot stat 'nosuch': No such file or directory"
assert_absent dst

printf 'a\n' >a
mkdir dir
ucp_try nosuch a dir
expect_rc 1 "with another operand"
expect_err_line "ucp: cannot stat 'nosuch': No such file or directory"
assert_same_file a dir/a
assert_absent dir/nosuch

ln -s nowhere dangling
ucp_try dangling out
expect_rc 1 "dangling symlink operand"
expect_err_line "ucp: cannot stat 'dangling': No such file or directory"
assert_absent out
