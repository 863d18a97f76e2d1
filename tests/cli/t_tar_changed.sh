#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ucp --tar of a file that grows or shrinks between its stat and the read
# of its data says "file changed as we read it" and exits 1, as GNU tar
# does; the member holds the size the header gave (an empty file that
# grew too). So does a file of a megabyte or more rewritten in place, its
# size and time put back (its change time moved), whatever its size. Both ways of reading:
# a small file read ahead whole, and a big one streamed by the writer. The
# run stops itself (test hook) after the stat, and the file is changed
# then.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
command -v tar >/dev/null || skip "tar not installed (reads the archive back)"

# start_stopped: start ucp --tar src a.tar, stopped by the hook before
# it reads its first file's data.
start_stopped() {
	local -a UCP_CMD
	ucp_cmd
	UCP_TEST_STOP_BEFORE_DATA=1 "${UCP_CMD[@]}" --tar src a.tar \
		>"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
}

# case NAME SIZE CHANGE [SAID]: archive src holding NAME of SIZE bytes,
# which CHANGE (a shell command run in src) alters while ucp is stopped;
# SAID: what the message adds (a file that shrank: the zeros padding it).
case_changed() {
	local name=$1 size=$2 change=$3 said=${4-}
	rm -rf src out a.tar
	mkdir src out
	head -c "$size" /dev/urandom >"src/$name"
	cp "src/$name" before
	start_stopped
	(cd src && eval "$change")
	stop_resume
	expect_rc 1 "$name: $change"
	expect_err_line "ucp: file changed as we read it: 'src/$name'$said"
	tar -xf a.tar -C out || fail "$name: tar cannot read the archive back"
	[ "$(stat -c %s "out/src/$name")" = "$size" ] ||
		fail "$name: the member is not of the size its header gave"
	case $change in
	*'>>'*) cmp -s before "out/src/$name" ||
		fail "$name: the member is not the file as it was before it grew" ;;
	esac
}

case_changed small 3000 'printf more >>small'
case_changed empty 0 'printf more >>empty'
case_changed big $((3 << 20)) 'printf more >>big'
case_changed small 3000 'truncate -s 1000 small' \
	": shrank by 2000 bytes, padded with zeros in the archive"
case_changed big $((3 << 20)) 'truncate -s 1000000 big' \
	": shrank by $(((3 << 20) - 1000000)) bytes, padded with zeros in the archive"
# Rewritten in place, its size and time as they were: its change time
# moved (it passed, exit 0: the member could hold old and new bytes).
case_changed big $((3 << 20)) \
	'touch -r big ../t0; dd if=/dev/urandom of=big bs=1k count=1 conv=notrunc status=none; touch -r ../t0 big'
# So a small one, read ahead whole: one read is no snapshot of a file
# rewritten in place (it passed, exit 0, as below a megabyte copy mode
# does not look).
case_changed small 3000 \
	'touch -r small ../t0; dd if=/dev/urandom of=small bs=1k count=1 conv=notrunc status=none; touch -r ../t0 small'

# An empty file with two names grows: caught as well (its first name is
# read, whichever the walk meets first).
rm -rf src out a.tar
mkdir src out
: >src/e1
ln src/e1 src/e2
start_stopped
printf more >>src/e1
stop_resume
expect_rc 1 "a linked empty file grew"
expect_err_has "ucp: file changed as we read it: 'src/e"

# Unchanged files, with the hook, pass.
rm -rf src a.tar
mkdir src
head -c 3000 /dev/urandom >src/f
start_stopped
stop_resume
expect_ok
