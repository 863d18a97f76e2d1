#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A FIFO operand copied onto an existing file (replaced through a
# temporary, rewritten in place with -f's fallback, or kept with -n): the
# FIFO is opened once. A second open would wait for a writer that has
# gone, for ever, and its data would be lost. A test hook fails every open
# of a source after the first, so a second open shows whatever the timing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkfifo fifo

# onto DEST [OPTION...]: copy fifo onto DEST while "new" is written into it.
onto() {
	local dst=$1 pid writer
	shift
	local -a UCP_CMD
	ucp_cmd
	RC=0
	# (The writer may find the FIFO closed unread (-n), or never opened.)
	(
		trap '' PIPE
		printf 'new\n' >fifo
	) 2>/dev/null &
	writer=$!
	UCP_FAULT=open:2+:EIO timeout -k 2 60 "${UCP_CMD[@]}" "$@" fifo "$dst" \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
	kill "$writer" 2>/dev/null || true
	wait "$writer" || true
	[ "$RC" != 124 ] || fail "ucp $* fifo $dst hung (a second open of the FIFO?)"
}

printf 'old\n' >dest
onto dest
expect_ok
[ "$(cat dest)" = new ] || fail "the FIFO's data did not replace the file: $(cat dest)"
assert_no_tmp .

printf 'old\n' >dest
onto dest --backup=numbered
expect_ok
[ "$(cat dest)" = new ] || fail "--backup: the FIFO's data did not replace the file"
[ "$(cat dest.~1~)" = old ] || fail "--backup: the old file was not kept"

# A destination in a directory that takes no new name is rewritten in
# place (cp mode), from the same open.
mkdir fixed
printf 'old\n' >fixed/dest
chmod 555 fixed
if [ -w fixed ] && ! chattr +i fixed 2>/dev/null; then
	chmod 755 fixed
	printf 'the in-place case needs chattr as root\n' >&2
else
	onto fixed/dest
	chattr -i fixed 2>/dev/null || true
	chmod 755 fixed
	expect_ok
	[ "$(cat fixed/dest)" = new ] || fail "in place: the FIFO's data did not reach the file"
fi

# -n keeps the file; the FIFO was opened (its writer was let go) and closed.
printf 'old\n' >dest
onto dest -n
expect_ok
[ "$(cat dest)" = old ] || fail "-n replaced the file"

# A file with other hard links is rewritten in place, as from a regular
# source, so that every name sees the FIFO's data (as cp writes into it).
printf 'old\n' >dest
ln -f dest dest_link
onto dest
expect_ok
[ "$(cat dest_link)" = new ] && [ "$(stat -c %h dest)" = 2 ] ||
	fail "a FIFO onto a file with other hard links parted them: $(cat dest_link)"
