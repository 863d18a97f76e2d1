#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: all
# Files of 0, 1, 4095, 4096, 4097, 1 MiB+1 and 3 MiB+17 bytes copy byte for
# byte, one by one, as a tree, with one job and with a small buffer budget.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_sizes src
for n in $SIZES; do
	ucp_try "src/size_$n" "out_$n"
	expect_rc 0 "copying a file of $n bytes"
	assert_same_file "src/size_$n" "out_$n"
done

ucp_try -r src dst
expect_ok
cmp_trees src dst

ucp_try -r -j 1 src dst_j1
expect_rc 0 "with -j 1"
cmp_trees src dst_j1

ucp_try -r -j 8 --buffer-size=128K src dst_small
expect_rc 0 "with --buffer-size=128K"
cmp_trees src dst_small
