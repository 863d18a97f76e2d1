#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Names with spaces, newlines, tabs, quotes, leading dashes and invalid UTF-8
# copy as operands and inside trees; error messages escape them C-style.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

nl=$'new\nline' bad=$'bad\xff\xfe'
printf 'dash\n' >-dash
printf 'nl\n' >"$nl"
printf 'bad\n' >"$bad"
printf 'space\n' >"with space"

ucp_try -- -dash out_dash1
expect_rc 0 "-- before a leading-dash operand"
assert_same_file -dash out_dash1
ucp_try ./-dash out_dash2
expect_rc 0 "./ before a leading-dash operand"
assert_same_file -dash out_dash2
ucp_try -- -dash -dash-copy
expect_rc 0 "leading-dash destination"
assert_same_file -dash -dash-copy

ucp_try "$nl" "copy"$'\n'"nl"
expect_rc 0 "name with a newline"
assert_same_file "$nl" "copy"$'\n'"nl"
ucp_try "$bad" "copy"$'\xff'
expect_rc 0 "name with invalid UTF-8"
assert_same_file "$bad" "copy"$'\xff'
ucp_try "with space" "copy space"
expect_rc 0 "name with a space"
assert_same_file "with space" "copy space"

mk_tree src
ucp_try -r src dst
expect_ok
cmp_trees src dst

ucp_try "no"$'\n'"such" x
expect_rc 1
expect_err_line "ucp: cannot stat 'no\\nsuch': No such file or directory"
ucp_try "no"$'\t'"such" x
expect_rc 1
expect_err_line "ucp: cannot stat 'no\\tsuch': No such file or directory"
ucp_try "isn't" x
expect_rc 1
expect_err_line "ucp: cannot stat 'isn\\'t': No such file or directory"
ucp_try "nx"$'\xff' x
expect_rc 1
grep -qixF "ucp: cannot stat 'nx\\xff': No such file or directory" "$T_ERR" || {
	show_last
	fail "invalid UTF-8 byte not escaped as \\xff"
}
assert_absent x
