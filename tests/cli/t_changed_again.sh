#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A big file that changes between the look at it and the copy of its data
# is copied again, and the copy gets the attributes of the file it holds:
# its time then, not the first look's (it kept the old time with the new
# data, exit 0, and a --sync copied it again next run). The run stops
# itself before the data (test hook); the file is rewritten and given
# another time and mode then. Debug builds (the hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
for how in "-a" "--sync"; do
	rm -rf src dst newdata
	mkdir src
	head -c 3000000 /dev/urandom >src/big
	chmod 644 src/big
	touch -d '2020-01-01 00:00:00' src/big
	UCP_CMD=()
	ucp_cmd
	# shellcheck disable=SC2086 # the options, split
	UCP_TEST_STOP_BEFORE_DATA=1 "${UCP_CMD[@]}" $how src dst \
		>"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	head -c 3000000 /dev/urandom >newdata
	cat newdata >src/big # (in place: the same inode, rewritten)
	chmod 600 src/big
	touch -d '2021-06-01 12:00:00' src/big
	stop_resume
	expect_ok "$how, a file changed before its data was read"
	cmp src/big dst/big || fail "$how: the copy is not the file as it is"
	[ "$(stat -c %Y dst/big)" = "$(stat -c %Y src/big)" ] ||
		fail "$how: the copy's time is $(stat -c %y dst/big), not the source's $(stat -c %y src/big)"
	[ "$(stat -c %a dst/big)" = 600 ] || fail "$how: the copy's mode is $(stat -c %a dst/big), not 600"
	ucp_try --sync --itemize-changes src dst
	expect_ok
	[ ! -s "$T_OUT" ] || fail "$how: the next --sync copies again: $(cat "$T_OUT")"
done
