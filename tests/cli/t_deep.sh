#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A tree 300 directories deep, and one whose paths exceed 4096 bytes (40 levels
# of 120-byte names), copy completely.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_deep deep 300
ucp_try -r deep deep_copy
expect_rc 0 "300 levels"
cmp_trees deep deep_copy

name=$(printf 'n%.0s' {1..120})
mk_deep long 40 "$name"
ucp_try -r long long_copy
expect_rc 0 "paths longer than PATH_MAX"
cmp_trees long long_copy
