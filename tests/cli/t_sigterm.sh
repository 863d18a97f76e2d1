#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGTERM during a large copy: exit 143, no temporary file left, and every file
# present in the destination is complete.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case TERM 143

# The signal sent twice, the second during the cleanup (timeout(1) sends
# it to ucp, then to its process group): the second is not taken for a
# second interrupt, which kills at once; the cleanup ends as after one.
# (The test hook stops ucp right after it took the first.)
rm -rf dst
UCP_TEST_STOP_ON_SIGNAL=1 stop_start 1000 -r src dst
kill -s TERM "$STOP_PID"
kill -s CONT "$STOP_PID"
wait_stopped "$STOP_PID"
kill -s TERM "$STOP_PID"
stop_resume
expect_rc 143 "after SIGTERM twice"
cmp_subset src dst
assert_no_tmp dst
