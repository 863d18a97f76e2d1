#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync run by a user over a tree that holds a device node, which only
# root may make: "cannot create special file", exit 1, on every run, and
# --delete held back for good. Skipped with a warning, exit 0, and the
# deletions go, as rsync run by a user skips it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
unpriv_setup
mkdir src
mknod src/null c 1 3 2>/dev/null || skip "cannot make a device node here"
printf 'f\n' >src/f
unpriv_own src
ucp_try_unpriv --sync src m
expect_ok
expect_err_line "ucp: warning: skipping device 'src/null': only root makes device nodes"
printf 'old\n' >m/stale
unpriv_own m
ucp_try_unpriv --sync --delete src m
expect_ok
assert_absent m/stale
assert_absent m/null
[ "$(cat m/f)" = f ] || fail "the rest was not mirrored"
# (Copy mode fails on it, as cp -a run by a user does.)
ucp_try_unpriv -a src c
expect_rc 1
