#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Under a low limit on open files (20), files whose data is not in the
# page cache (a test hook says so of each) are all copied: the worker
# had opened each source to look, then gave it to its ring, whose jobs
# held those and the copies beyond the worker's share of the limit
# ("cannot create regular file: Too many open files" for a third of
# them, exit 1). Debug builds (the hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
(ulimit -n 20) 2>/dev/null || skip "cannot set the descriptor limit to 20"
mkdir src
for i in $(seq 30); do mk_file "src/f$i" 200000; done
# (--reflink=never: no copy_file_range, the ring copies in chunks.)
UCP_FAULT=cached:1+:EAGAIN ucp_try_nofile 20 -r --reflink=never src dst
expect_ok
expect_err_empty
cmp_trees src dst
