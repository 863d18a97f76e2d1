#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A source file removed and made anew between the ring's statx and its
# open, in a directory others may write: ext4 hands the freed inode number
# out again at once, so the new file passed the check that the file opened
# is the one looked at. The copy then got the new file's data, cut to the
# old size, with the old file's owner and set-user-ID mode (another user's
# data, root's and set-uid). Now the copy is the new file whole, with its
# own owner and mode, as the thread engine makes it. And a FIFO made so in
# its place: the ring's read waited for a writer for ever, deaf to
# signals; it is skipped, "replaced while being copied", exit 1. The job
# stops just before its open (UCP_TEST_STOP_OPEN), a small file's by the
# ring and a bigger one's with syscalls.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

# Root: on an ext4 of its own, where a freed inode number is the next one
# given; the file made anew by another user, as in a shared directory.
unpriv_setup
AS=("${UNPRIV[@]}")
mount_ext4 fs
chmod 0777 fs
cd fs
mkdir src
chmod 0777 src

# ring_remade ARG... -- CMD...: ucp --engine=uring -j 1 ARG..., stopped
# before its first open; src/f is removed and CMD (as AS) makes it anew,
# which must take the old inode number (else the case is not reached:
# skipped, naming it); then on to its end, at most two minutes (a hang
# would be for ever), RC its status.
ring_remade() {
	local -a UCP_CMD args=()
	local ino tpid
	while [ "$1" != -- ]; do
		args+=("$1")
		shift
	done
	shift
	ucp_cmd
	ino=$(stat -c %i src/f)
	UCP_TEST_STOP_OPEN=1 timeout -s KILL 120 "${UCP_CMD[@]}" --engine=uring -j 1 \
		"${args[@]}" >"$T_OUT" 2>"$T_ERR" &
	tpid=$!
	# (timeout's child is ucp: the stop is its.)
	STOP_PID=$(child_of "$tpid")
	ring_stopped "$STOP_PID" "$tpid"
	rm src/f
	"${AS[@]}" "$@"
	kill -s CONT "$STOP_PID"
	RC=0
	wait "$tpid" || RC=$?
	[ "$(stat -c %i src/f)" = "$ino" ] ||
		skip "the file system did not give the freed inode number again"
	[ "$RC" != 137 ] || fail "ucp ${args[*]}: the run hung (killed after two minutes)"
}

printf 'ROOT TOOL\n' >src/f
chmod 4755 src/f
ring_remade -a src dst -- sh -c 'printf "another user'"'"'s data\n" >src/f'
expect_ok
cmp src/f dst/f || fail "the copy is not the new file whole"
[ "$(stat -c %a:%u:%g dst/f)" = "$(stat -c %a:%u:%g src/f)" ] ||
	fail "the copy has mode and owner $(stat -c %a:%u:%g dst/f), the file $(stat -c %a:%u:%g src/f)"

# So for a file copied with syscalls (over a buffer: copy_file_range), as
# -a and --sync copy it: 500 KB made anew as 300 KB of another user's.
for opt in -a --sync; do
	rm -rf dst src/f
	head -c 500000 /dev/urandom >src/f
	chmod 4755 src/f
	ring_remade "$opt" src dst -- sh -c 'head -c 300000 /dev/zero | tr "\0" N >src/f'
	expect_ok
	cmp src/f dst/f || fail "$opt: the copy is not the new file whole"
	[ "$(stat -c %a:%u:%g dst/f)" = "$(stat -c %a:%u:%g src/f)" ] ||
		fail "$opt: the copy has mode and owner $(stat -c %a:%u:%g dst/f), the file $(stat -c %a:%u:%g src/f)"
done

rm -rf dst src/f
head -c 10000 /dev/urandom >src/f
ring_remade -r src dst -- mkfifo src/f
expect_rc 1 "a FIFO made in a file's place"
expect_err_has "as it was replaced while being copied"
