#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A writable file in a directory that takes no new name (no write
# permission for this user, or immutable) is overwritten in place, as cp
# does: a replacement through a temporary cannot be made there. Without
# the file's own permission it stays an error.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
printf 'new contents\n' >newsrc
mkdir ro
printf 'old\n' >ro/file
printf 'old\n' >ro/locked
unpriv_own .
chmod 666 ro/file
chmod 444 ro/locked
chmod 555 ro

ucp_try_unpriv newsrc ro/file
expect_ok
cmp newsrc ro/file || fail "the writable file in a read-only directory was not overwritten"
[ "$(stat -c %a ro/file)" = 666 ] || fail "the file's mode changed: $(stat -c %a ro/file)"

ucp_try_unpriv newsrc ro/locked
expect_rc 1
[ "$(cat ro/locked)" = old ] || fail "a read-only file was overwritten"

assert_no_tmp ro

# As root: an immutable directory (where the file system has the flag).
if [ "$(id -u)" = 0 ] && mkdir imm && printf 'old\n' >imm/f &&
	chattr +i imm 2>/dev/null; then
	ucp_try newsrc imm/f
	chattr -i imm
	expect_ok
	cmp newsrc imm/f || fail "the file in an immutable directory was not overwritten"
else
	printf 'no immutable directories here: that case was not run\n'
fi
