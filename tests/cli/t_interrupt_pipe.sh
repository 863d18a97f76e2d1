#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An interrupt while ucp waits on a stalled pipe: --untar - and --list -
# reading an archive whose writer sends no more, --tar - writing to a
# reader that reads no more (also compressed), or -v's names written to
# one. ucp stops at once, exit 130
# or 143, with no partial member under its final name (curl | ucp --untar -
# on a stalled network must be interruptible). The signal is sent once a
# thread of ucp sits in the read or write on the pipe. An archive cut so
# ends in a block no reader takes for a header, even where the pipe was
# full when the signal came.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir s
head -c 3000000 /dev/urandom >s/big
printf 'small\n' >s/small
ucp_try --tar s full.tar
expect_ok
mkfifo in out

# reading SIGNAL ARG...: ucp ARG... reads the first 1 MB of the archive
# from a FIFO whose writer stays; SIGNAL once it waits for more.
reading() {
	local sig=$1 pid
	local -a UCP_CMD
	shift
	ucp_cmd
	RC=0
	env --default-signal=INT,TERM "${UCP_CMD[@]}" "$@" <in >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	exec 3>in
	head -c 1000000 full.tar >&3
	wait_blocked "$pid" 0 0 7 # (a read of standard input, or its poll)
	kill "-$sig" "$pid"
	wait "$pid" || RC=$?
	exec 3>&-
}

reading INT --untar - x
expect_rc 130
[ ! -e x/s/big ] || fail "--untar -: a partial member is under its final name"
assert_no_tmp x/s
reading TERM --list -
expect_rc 143

# writing SIGNAL ARG...: ucp ARG... writes the archive to standard output,
# a FIFO whose reader reads nothing; SIGNAL once the write waits.
writing() {
	local sig=$1 pid
	local -a UCP_CMD
	shift
	ucp_cmd
	RC=0
	exec 4<>out
	env --default-signal=INT,TERM "${UCP_CMD[@]}" "$@" >out 2>"$T_ERR" &
	pid=$!
	wait_blocked "$pid" 1 1
	kill "-$sig" "$pid"
	wait "$pid" || RC=$?
	exec 4<&-
}

writing TERM --tar s -
expect_rc 143
expect_err_empty
writing INT --tar --compress=gzip s -
expect_rc 130
writing INT --tar --compress=zstd s -
expect_rc 130

# The archive cut so ends in a block that is no header, also where the
# pipe was full when the signal came (the block went only into a pipe
# with room at that moment): the reader fails, wherever the cut falls
# (between two members, it took the stream for whole). Members of 2048
# bytes, ustar: every cut on a write's end is between two members.
mkdir m
for i in $(seq 200); do head -c 1536 /dev/zero >"m/f$i"; done
# cut_started: --tar of m to the FIFO out, read on fd 4 by nobody yet;
# SIGTERM once its write waits. Its pid is in pid.
cut_started() {
	local -a UCP_CMD
	ucp_cmd
	env --default-signal=INT,TERM "${UCP_CMD[@]}" --tar --format=ustar m - >out 2>"$T_ERR" &
	pid=$!
	exec 4<out
	wait_blocked "$pid" 1 1
	kill -TERM "$pid"
}
cut_started
cat <&4 >cut.tar
exec 4<&-
RC=0
wait "$pid" || RC=$?
expect_rc 143
[ "$(tail -c 1024 cut.tar | tr -d '\377' | wc -c)" = 0 ] ||
	fail "the cut archive does not end in two blocks of 0xff bytes"
if tar -tf cut.tar >/dev/null 2>&1; then
	fail "tar read the cut archive as whole"
fi
ucp_try --untar cut.tar cut_out
expect_rc 1
# A second SIGTERM while the cut waits for room (timeout(1) sends its
# signal to ucp, then to its process group) does not cut the wait short:
# the blocks still go once the reader reads (they were dropped, and the
# stream could end between two members, whole to a reader).
# (The poll is found by its syscall number, x86_64's.)
if [ "$(uname -m)" = x86_64 ]; then
cut_started
# (The cut's poll: one descriptor, 3000 ms.)
until grep -qs '^7 0x[0-9a-f]* 0x1 0xbb8 ' /proc/"$pid"/task/*/syscall; do
	[ -d "/proc/$pid" ] || fail "ucp ended before its cut waited for room"
	sleep 0.01
done
kill -TERM "$pid"
cat <&4 >cut2.tar
exec 4<&-
RC=0
wait "$pid" || RC=$?
expect_rc 143
[ "$(tail -c 1024 cut2.tar | tr -d '\377' | wc -c)" = 0 ] ||
	fail "after a second SIGTERM the cut archive does not end in two blocks of 0xff bytes"
fi

# -v's names to a reader that reads nothing (a pager, a stuck ssh): the
# run stops on SIGTERM all the same (a worker stayed in the write on the
# full pipe, holding the output's lock, until the reader went).
mkdir many
for i in $(seq 3000); do printf '%s\n' "$i" >"many/f$i"; done
rm -f vout
mkfifo vout
exec 4<>vout
UCP_CMD=()
ucp_cmd
env --default-signal=INT,TERM "${UCP_CMD[@]}" -rv many many_copy >vout 2>"$T_ERR" &
pid=$!
wait_blocked "$pid" 1 1 7 # (the write on the full pipe, or its poll)
kill -TERM "$pid"
while [ -d "/proc/$pid" ] && [ "$(proc_state "$pid")" != Z ]; do
	for t in /proc/"$pid"/task/*/wchan; do
		case $(cat "$t" 2>/dev/null) in
		*pipe_write) ;; # (anon_pipe_write since Linux 6.14)
		*) continue ;;
		esac
		exec 4<&-
		fail "ucp still writes to the stalled pipe after SIGTERM"
	done
	sleep 0.01
done
RC=0
wait "$pid" || RC=$?
exec 4<&-
expect_rc 143
assert_no_tmp many_copy

# A FIFO given as the source, with no writer yet: the open must not wait
# past a signal (a blocking open waited for a writer, whatever came).
rm -f fifo_src
mkfifo fifo_src
UCP_CMD=()
ucp_cmd
env --default-signal=INT,TERM "${UCP_CMD[@]}" fifo_src fifo_copy >"$T_OUT" 2>"$T_ERR" &
pid=$!
# Once a thread waits for the writer: in a poll (7), or in openat (257).
until grep -qs '^\(7\|257\) ' /proc/"$pid"/task/*/syscall; do
	[ -d "/proc/$pid" ] || fail "ucp ended before it waited for the FIFO's writer"
	sleep 0.01
done
kill -TERM "$pid"
# Gone, or a thread waits to open the FIFO (for a writer: the kernel's
# wait_for_partner; an openat of anything else on the way out is not it).
while [ -d "/proc/$pid" ] && [ "$(proc_state "$pid")" != Z ]; do
	for t in /proc/"$pid"/task/*/wchan; do
		[ "$(cat "$t" 2>/dev/null)" = wait_for_partner ] &&
			{ exec 5<>fifo_src; exec 5<&-; fail "ucp still waits to open the FIFO after SIGTERM"; }
	done
	sleep 0.01
done
RC=0
wait "$pid" || RC=$?
expect_rc 143
