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
