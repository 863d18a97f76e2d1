#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# With io_uring blocked by seccomp, the default engine falls back to threads
# silently (a notice only with -v) and copies correctly; also when only
# io_uring_enter is refused. --version says why io_uring is not used.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_noiouring
mk_tree src

RC=0
"$NOIOURING" "$UCP" -v -r src dst >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "-v -r under seccomp"
cmp_trees src dst
expect_out_line "'src' -> 'dst'"
expect_err_has "ucp: io_uring unavailable ("
expect_err_has "; using the thread engine"

# --version says why io_uring is not used.
RC=0
"$NOIOURING" "$UCP" --version >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
expect_out_line "io_uring: not used - io_uring is not permitted by seccomp or kernel.io_uring_disabled"
RC=0
"$NOIOURING" --register-only "$UCP" --version >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
expect_out_line "io_uring: not used - io_uring_register is not permitted by seccomp"
# The thread engine asked for (also by a prefix, or in the environment):
# no probe, so no io_uring system call and no reason.
for how in --engine=threads --engine=thr UCP_ENGINE=thr; do
	RC=0
	case $how in
	--*) "$NOIOURING" "$UCP" "$how" --version >"$T_OUT" 2>"$T_ERR" || RC=$? ;;
	*) env "$how" "$NOIOURING" "$UCP" --version >"$T_OUT" 2>"$T_ERR" || RC=$? ;;
	esac
	expect_ok
	expect_out_line "io_uring: not used"
done

RC=0
"$NOIOURING" "$UCP" -r src dst2 >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "-r under seccomp"
expect_err_empty
expect_out_empty
cmp_trees src dst2

# A filter that lets a ring be set up but refuses io_uring_enter: the
# same fallback (nothing submitted would ever complete), and a clear
# refusal with --engine=uring.
RC=0
"$NOIOURING" --enter-only "$UCP" -v -r src dst3 >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "-v -r with io_uring_enter refused"
cmp_trees src dst3
expect_err_line "ucp: io_uring unavailable (io_uring_enter is not permitted by seccomp); using the thread engine"
RC=0
"$NOIOURING" --enter-only "$UCP" --engine=uring -r src dst4 >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 1 "--engine=uring with io_uring_enter refused"
expect_err_line "ucp: io_uring engine unavailable: io_uring_enter is not permitted by seccomp"
assert_absent dst4

# A filter that refuses io_uring_enter only when it waits with a timeout
# (IORING_ENTER_EXT_ARG), as the copy waits: the probe waits so too, and
# finds it refused (it waited without one, passed, and every run stopped
# with "io_uring failed"). --no-cache: no cached shortcut, the ring is
# needed.
RC=0
"$NOIOURING" --enter-timed "$UCP" -v -r --no-cache src dst5 >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "-v -r with timed io_uring_enter refused"
cmp_trees src dst5
expect_err_line "ucp: io_uring unavailable (io_uring_enter is not permitted by seccomp); using the thread engine"
