#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A worker's ring is set up when its first request needs it. When that
# fails (a test hook makes every setup fail with ENOMEM), the worker copies
# with syscalls instead: the copy, a --sync into an existing tree and a
# --sync into a new one are complete and exit 0. Debug builds (the hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mk_many src 300
mk_file src/big $((3 << 20))
mk_file src/g1/mid 300000

UCP_FAULT=ring:1+:ENOMEM ucp_try -r src dst
expect_ok
cmp_trees src dst

UCP_FAULT=ring:1+:ENOMEM ucp_try --sync src new
expect_ok
cmp_trees src new

# An existing tree: every destination is looked at (the stat batches).
mk_file src/g2/changed 7000
UCP_FAULT=ring:1+:ENOMEM ucp_try --sync src new
expect_ok
cmp_trees src new
