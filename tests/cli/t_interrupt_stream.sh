#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An interrupt while ucp reads a FIFO whose writer has not closed it:
# ucp stops at once (it does not wait for the writer), exit 130 or 143,
# and leaves no partial file under the final name; a file it was to
# replace keeps its old contents. The writer's open of the FIFO returns
# only once ucp has opened it, so the signal always finds ucp reading.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkfifo fifo
printf 'OLD\n' >kept

# interrupt SIGNAL DEST: copy fifo to DEST, send SIGNAL mid-stream.
interrupt() {
	local sig=$1 dst=$2 pid
	local -a UCP_CMD
	ucp_cmd
	RC=0
	# (With SIGINT at its default, as in a terminal's foreground job: a
	# script's background job starts with it ignored, which ucp keeps.)
	env --default-signal=INT,TERM "${UCP_CMD[@]}" fifo "$dst" >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	exec 3>fifo
	printf 'partial' >&3
	kill "-$sig" "$pid"
	wait "$pid" || RC=$?
	exec 3>&-
}

interrupt INT new
expect_rc 130
assert_absent new
assert_no_tmp .

interrupt TERM kept
expect_rc 143
[ "$(cat kept)" = OLD ] || fail "the file being replaced lost its contents: $(cat kept)"
assert_no_tmp .

# Not interrupted, the stream is copied whole.
RC=0
{ printf 'whole\n' >fifo; } &
ucp_try fifo whole
wait
expect_ok
[ "$(cat whole)" = whole ] || fail "the stream was not copied whole"

# A FIFO destination that nobody opens, or nobody reads: an interrupt ends
# the copy all the same (ucp waits for a reader, or for room, a tick at a
# time), and the FIFO stays.
head -c 1000000 /dev/urandom >big
mkfifo out_fifo
interrupt_dst() {
	local pid
	local -a UCP_CMD
	ucp_cmd
	RC=0
	"${UCP_CMD[@]}" big out_fifo >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	[ "${1-}" = reader ] && exec 4<out_fifo
	kill -TERM "$pid"
	wait "$pid" || RC=$?
	[ "${1-}" = reader ] && exec 4<&-
	return 0
}
interrupt_dst
expect_rc 143
expect_err_empty
interrupt_dst reader
expect_rc 143
[ -p out_fifo ] || fail "the FIFO was replaced"
