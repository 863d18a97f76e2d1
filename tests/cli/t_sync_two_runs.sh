#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Two first --sync runs of one mirror at once (overlapping cron jobs): the
# second does not take the first's partial tree for an interrupted run's
# (it renamed it into place under the first, and its --delete removed the
# file the first was writing, which the first then listed as copied, exit
# 0). It says so and stops, exit 1; the first completes its mirror.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir s1 s2
mk_file s1/big $((3 << 20))
printf 'b\n' >s2/b
ucp_cmd
UCP_TEST_STOP_BEFORE_DATA=1 env --default-signal=INT,TERM,HUP,QUIT \
	"${UCP_CMD[@]}" --sync s1 m >first.out 2>first.err &
pid=$!
wait_stopped "$pid"
ucp_try --sync --delete s2 m
second=$RC
kill -s CONT "$pid"
RC=0
wait "$pid" || RC=$?
[ "$second" = 1 ] || fail "the second run's status: $second"
expect_err_line "ucp: cannot create directory './.m.ucp-partial': another ucp run is making this mirror now: not taken"
expect_ok
cmp -s s1/big m/big || fail "the first run's mirror does not hold its file"
assert_absent m/b
