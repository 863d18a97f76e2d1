#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: all
# A tree holding every kind of entry (all sizes, odd names, symlinks, a FIFO,
# empty and nested directories) copied with -r compares equal, modes included.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_tree src
ucp_try -r src dst
expect_ok
expect_out_empty
expect_err_empty
cmp_trees src dst
