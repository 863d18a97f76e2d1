#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGHUP (a closed terminal, a dropped ssh session) during a large copy
# stops it like SIGTERM: exit 129, no temporary file left, every file
# present complete. Started with SIGHUP ignored (nohup), ucp keeps going.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case HUP 129

# nohup: the signal is ignored, the copy completes.
rm -rf dst
need_hooks
ucp_cmd
UCP_TEST_STOP_AFTER=1000 env --ignore-signal=HUP "${UCP_CMD[@]}" -r src dst \
	>"$T_OUT" 2>"$T_ERR" &
pid=$!
wait_stopped "$pid"
kill -HUP "$pid"
kill -CONT "$pid"
RC=0
wait "$pid" || RC=$?
expect_ok
cmp_trees src dst
