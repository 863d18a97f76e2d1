#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A small file rewritten bigger between its stat and its copy is copied
# whole as it is then: the ring's chain read the size its statx gave, so
# the copy held the first bytes of the new contents cut to the old size,
# exit 0, with -a the old time (a file that never was). Its chain now
# looks at the source again after the copy and copies it anew with
# syscalls when it changed. The ring's engine (the thread engine reads
# past the size it saw); the run stops itself just before the chain opens
# the source (test hook); no file is taken for cached (fault hook), so
# that the chain copies it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
for how in "-r" "-a"; do
	for size in 5000 131072; do
		rm -rf src dst new
		mkdir src
		head -c "$size" /dev/urandom >src/f
		touch -d '2020-01-01' src/f
		UCP_CMD=()
		ucp_cmd
		UCP_TEST_STOP_OPEN=1 UCP_FAULT=cached:1+:EAGAIN \
			"${UCP_CMD[@]}" --engine=uring -j 1 "$how" src dst \
			>"$T_OUT" 2>"$T_ERR" &
		STOP_PID=$!
		ring_stopped "$STOP_PID"
		head -c $((size * 3)) /dev/urandom >new
		cat new >src/f # (in place: the same inode, bigger)
		stop_resume
		expect_ok "$how, $size bytes grown to $((size * 3))"
		cmp new dst/f || fail "$how, $size bytes grown: the copy is not the file as it is"
		if [ "$how" = -a ]; then
			[ "$(stat -c %Y dst/f)" = "$(stat -c %Y src/f)" ] ||
				fail "-a, $size bytes grown: the copy's time is not the file's"
		fi
	done
done
