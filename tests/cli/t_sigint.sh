#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGINT during a large copy: exit 130, no temporary file left, and every file
# present in the destination is complete. Started with SIGINT ignored, ucp
# keeps going.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case INT 130

# Started with SIGINT ignored (a shell's background job, trap '' INT), ucp
# keeps going when Ctrl-C reaches the terminal's process group, as cp does.
rm -rf dst
need_hooks
ucp_cmd
UCP_TEST_STOP_AFTER=1000 env --ignore-signal=INT "${UCP_CMD[@]}" -r src dst \
	>"$T_OUT" 2>"$T_ERR" &
pid=$!
wait_stopped "$pid"
kill -INT "$pid"
kill -CONT "$pid"
RC=0
wait "$pid" || RC=$?
expect_ok
cmp_trees src dst
