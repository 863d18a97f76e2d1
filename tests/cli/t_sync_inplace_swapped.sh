#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync --inplace: a mirror file that became a FIFO or a symbolic link
# after the run compared it is replaced by the source's file, as rsync
# --inplace does; the run never waits for a reader on the FIFO (it hung
# there, past SIGTERM, with the ring engine) nor fails on the link. The
# run stops itself (test hook) once one file is done; the files it has
# not rewritten yet are swapped then. Debug builds (the hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
printf 'outside\n' >outside

# wait_done PID: wait for PID to end; fails when a thread of it waits to
# open a FIFO (for a reader that never comes).
wait_done() {
	local t
	while [ "$(proc_state "$1")" != Z ] && [ "$(proc_state "$1")" != gone ]; do
		for t in /proc/"$1"/task/*/wchan; do
			[ "$(cat "$t" 2>/dev/null)" != wait_for_partner ] ||
				{ kill -s KILL "$1"; fail "ucp waits for a reader of a mirror FIFO"; }
		done
		sleep 0.01
	done
}

for kind in fifo symlink; do
	rm -rf src dst
	mkdir src dst
	for f in a b c d e f; do
		printf 'new %s\n' "$f" >"src/$f"
		printf 'old\n' >"dst/$f"
		touch -d 2019-01-01 "dst/$f"
	done
	stop_start 1 --sync --inplace src/ dst
	for f in a b c d e f; do
		grep -q old "dst/$f" || continue
		rm "dst/$f"
		case $kind in
		fifo) mkfifo "dst/$f" ;;
		symlink) ln -s ../outside "dst/$f" ;;
		esac
	done
	kill -s CONT "$STOP_PID"
	wait_done "$STOP_PID"
	RC=0
	wait "$STOP_PID" || RC=$?
	expect_ok
	for f in a b c d e f; do
		[ -f "dst/$f" ] && [ ! -L "dst/$f" ] ||
			fail "$kind: dst/$f was not replaced by a regular file"
		[ "$(cat "dst/$f")" = "new $f" ] || fail "$kind: dst/$f is not the source's"
	done
	[ "$(cat outside)" = outside ] || fail "$kind: written through the link"
done

# Another writer makes the mirror's file longer while the run rewrites it
# (stopped before its data): the file ends where the source does, as
# rsync --inplace cuts it; it kept the other writer's tail after the copy.
rm -rf src dst
mkdir src dst
head -c 1228800 /dev/urandom >src/big
head -c 2097152 /dev/urandom >dst/big
ucp_cmd
UCP_TEST_STOP_BEFORE_DATA=1 env --default-signal=INT,TERM,HUP,QUIT \
	"${UCP_CMD[@]}" --sync --inplace src/ dst >"$T_OUT" 2>"$T_ERR" &
STOP_PID=$!
wait_stopped "$STOP_PID"
head -c 3145728 /dev/urandom >other
cat other >dst/big
stop_resume
expect_ok
cmp src/big dst/big || fail "the file rewritten in place is not the source's: $(stat -c %s dst/big) bytes"
