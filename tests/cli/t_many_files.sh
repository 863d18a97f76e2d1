#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A tree of 10,000 small files in 100 directories copies completely.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 10000
ucp_try -r src dst
expect_ok
cmp_trees src dst
