#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A user's -a stopped by a signal in a read-only source directory: the
# copy of that directory keeps its owner's rwx (as cp leaves one it has
# not finished), and the same command again completes the copy, with the
# source's mode. The interrupt sealed it read-only, half full, and the run
# again failed on every entry left ("Permission denied", exit 1). So too
# for --untar -p.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
unpriv_setup
mkdir -p s/ro
for i in $(seq 1 30); do printf '%s\n' "$i" >"s/ro/f$i"; done
unpriv_own s
chmod 500 s/ro
ucp_cmd
# interrupted ARG...: the user's ucp ARG..., stopped once 5 files are
# done, then SIGINT; RC gets its status.
interrupted() {
	local pid
	UCP_TEST_STOP_AFTER=5 env --default-signal=INT,TERM,HUP,QUIT \
		"${UNPRIV[@]}" "${UCP_CMD[@]}" "$@" >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	wait_stopped "$pid"
	kill -s INT "$pid"
	kill -s CONT "$pid"
	RC=0
	wait "$pid" || RC=$?
}
interrupted -aT s d
expect_rc 130 "the interrupted copy"
# (The ring engine may have copied the whole directory in the batch it
# was completing when stopped: finished then, its mode either, as the
# signal came before or after; the run again sets it.)
n=$(find d/ro -type f | wc -l)
[ "$n" = 30 ] || [ "$(stat -c %a d/ro)" = 700 ] ||
	fail "the unfinished copy of s/ro ($n files) is $(stat -c %a d/ro), not 700"
ucp_try_unpriv -aT s d
expect_ok
[ "$(stat -c %a d/ro)" = 500 ] || fail "d/ro is $(stat -c %a d/ro) after the run again"
[ "$(find d/ro -type f | wc -l)" = 30 ] || fail "d/ro holds $(find d/ro -type f | wc -l) files, not 30"

# --untar -p, stopped the same way.
ucp_try --tar s s.tar
expect_ok
chmod 644 s.tar
interrupted --untar -p s.tar x
expect_rc 130 "the interrupted extraction"
[ "$(stat -c %a x/s/ro)" = 700 ] || fail "the unfinished x/s/ro is $(stat -c %a x/s/ro), not 700"
ucp_try_unpriv --untar -p s.tar x
expect_ok
[ "$(stat -c %a x/s/ro)" = 500 ] || fail "x/s/ro is $(stat -c %a x/s/ro) after the extraction again"
[ "$(find x/s/ro -type f | wc -l)" = 30 ] || fail "x/s/ro holds $(find x/s/ro -type f | wc -l) files, not 30"
