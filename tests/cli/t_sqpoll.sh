#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sqpoll: each worker's ring has a kernel polling thread (a thread
# iou-sqp-PID of the ucp process while it copies: one per worker that set
# up a ring, at most: no other ring of the run has one, not even for a
# moment), none without the option, and the copy is exact. Where the
# kernel refuses the pollers (made so with the fault hook: EPERM, as
# before 5.11 for a user), ucp warns once and copies anyway. Debug builds
# (the stop and fault hooks).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mk_many src 300
mk_file src/big $((3 << 20))

ucp_try --engine=uring -r src probe
if [ "$RC" != 0 ] && grep -q "io_uring engine unavailable" "$T_ERR"; then
	skip "io_uring is not usable on this machine"
fi
expect_ok

# pollers: the polling threads of the stopped ucp.
pollers() {
	cat "/proc/$STOP_PID/task/"*/comm 2>/dev/null | grep -c '^iou-sqp' || true
}

# (--engine=uring: every worker sets up its ring, none takes a shortcut.)
stop_start 100 --engine=uring --sqpoll -j 4 -r src dst
n=$(pollers)
stop_resume
if grep -q -- "--sqpoll: no kernel polling thread" "$T_ERR"; then
	skip "the kernel refuses SQPOLL rings here: $(cat "$T_ERR")"
fi
expect_ok
expect_err_empty
cmp_trees src dst
[ "$n" -ge 1 ] && [ "$n" -le 4 ] ||
	fail "expected 1 to 4 polling threads for 4 workers, saw $n"

stop_start 100 --engine=uring -j 4 -r src dst2
n=$(pollers)
stop_resume
expect_ok
cmp_trees src dst2
[ "$n" = 0 ] || fail "without --sqpoll: $n polling threads"

# Refused: one warning naming why, and the copy all the same.
UCP_FAULT=sqpoll:1+:EPERM ucp_try --engine=uring --sqpoll -j 4 -r src dst3
expect_ok
expect_err_exact "ucp: warning: --sqpoll: no kernel polling thread (Operation not permitted); the rings submit by themselves"
cmp_trees src dst3

# The thread engine has no ring: --sqpoll changes nothing there.
ucp_try --engine=threads --sqpoll -r src dst4
expect_ok
expect_err_empty
cmp_trees src dst4
