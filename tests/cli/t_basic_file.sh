#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A single file copied to a new name and into a directory: same bytes, mode
# 0644, nothing printed.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'hello\n' >a
ucp_try a b
expect_ok
expect_out_empty
expect_err_empty
assert_same_file a b
assert_mode b 644

mkdir d
ucp_try a d
expect_ok
assert_same_file a d/a

mkdir e
ucp_try a e/
expect_ok
assert_same_file a e/a

ucp_try a d/renamed
expect_ok
assert_same_file a d/renamed
