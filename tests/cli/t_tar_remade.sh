#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --tar of a big file (streamed by the writer, opened again for its data)
# removed and made anew meanwhile under the freed inode number, which ext4
# hands out again at once: a directory made there was taken for the file,
# its header written, then the read failed and the whole archive was
# abandoned (a root's backup lost to one user's mkdir); another user's file
# made there had its data archived under the old file's header (root's,
# set-user-ID). Each is now left out as replaced, said, exit 1, and the
# archive is written (it holds src/ alone). The run stops itself (test
# hook) just before the writer opens big for its data.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
command -v tar >/dev/null || skip "tar not installed (reads the archive back)"
# (Root: on an ext4 of its own, where a freed inode number is the next one
# given; made anew by another user, as in a shared directory.)
unpriv_setup
AS=("${UNPRIV[@]}")
mount_ext4 fs
chmod 0777 fs
cd fs
# remade CMD...: archive W/src (big alone; W a new directory each time),
# stopped before big's data; big is removed and CMD (as AS, in W) makes it
# anew. It must take the old inode number for the case to be reached, as
# it does on this ext4 (else tried again, up to 10 times in all, then
# skipped, naming it).
remade() {
	local -a UCP_CMD
	local ino try w
	ucp_cmd
	for try in $(seq 10); do
		w=w$((++NW))
		mkdir "$w" "$w/src"
		chmod 0777 "$w" "$w/src"
		head -c $((3 << 20)) /dev/urandom >"$w/src/big"
		chmod 4755 "$w/src/big"
		ino=$(stat -c %i "$w/src/big")
		UCP_TEST_STOP_OPEN=1 "${UCP_CMD[@]}" --tar -j 1 "$w/src" "$w/a.tar" \
			>"$T_OUT" 2>"$T_ERR" &
		STOP_PID=$!
		wait_stopped "$STOP_PID"
		rm "$w/src/big"
		(cd "$w" && "${AS[@]}" "$@")
		stop_resume
		[ "$(stat -c %i "$w/src/big")" = "$ino" ] && break
		[ "$try" != 10 ] || skip "the file system never gave a freed inode number again (10 tries)"
	done
	expect_rc 1 "big made anew as: $*"
	expect_err_line "ucp: skipping file '$w/src/big', as it was replaced while being copied"
	mkdir "$w/out"
	tar -xf "$w/a.tar" -C "$w/out" || fail "$*: tar cannot read the archive back"
	[ -d "$w/out/$w/src" ] || fail "$*: the archive lacks src/"
	[ ! -e "$w/out/$w/src/big" ] || fail "$*: a member was archived for what was made in big's place"
}

NW=0
remade mkdir src/big
remade mkfifo src/big
remade sh -c 'head -c 100 /dev/zero >src/big'

# Its permission bits changed alone (a chmod meanwhile): the same file,
# archived whole, "file changed as we read it", exit 1, as GNU tar says it
# (it was left out as replaced).
w=w$((++NW))
mkdir "$w" "$w/src"
head -c $((3 << 20)) /dev/urandom >"$w/src/big"
ucp_cmd
UCP_TEST_STOP_OPEN=1 "${UCP_CMD[@]}" --tar -j 1 "$w/src" "$w/a.tar" >"$T_OUT" 2>"$T_ERR" &
STOP_PID=$!
wait_stopped "$STOP_PID"
chmod 600 "$w/src/big"
stop_resume
expect_rc 1 "big's mode changed"
expect_err_line "ucp: file changed as we read it: '$w/src/big'"
mkdir "$w/out"
tar -xf "$w/a.tar" -C "$w/out" || fail "tar cannot read the archive back"
cmp "$w/src/big" "$w/out/$w/src/big" || fail "the file whose mode changed is not archived whole"
