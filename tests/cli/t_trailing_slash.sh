#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A trailing slash on a source or destination operand changes nothing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_sizes src
mkdir exist exist2 exist3
printf 'file\n' >f

ucp_try -r src/ new1
expect_rc 0 "src/ to a new name"
cmp_trees src new1

ucp_try -r src/ exist/
expect_rc 0 "src/ into dir/"
cmp_trees src exist/src

ucp_try -r src// exist2
expect_rc 0 "src// into dir"
cmp_trees src exist2/src

ucp_try f exist3/
expect_rc 0 "file into dir/"
assert_same_file f exist3/f
