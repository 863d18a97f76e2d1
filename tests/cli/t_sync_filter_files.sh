#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Per-directory merge files (-F's .rsync-filter) in a tree others may
# write: a FIFO in place of one is an error naming it, never a run that
# hangs (it waited for a writer for ever, and SIGTERM could not end it);
# one that is a symbolic link is followed only when root or the running
# user owns the link, as rsync: else a user could have root read a file
# of root's as rules. The rest of the tree is still copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_root

mkdir -p src/sub
printf 'a\n' >src/sub/a
printf 'b\n' >src/b

mkfifo src/sub/.rsync-filter
ucp_try --sync -F src fifo
expect_rc 1
expect_err_line "ucp: cannot read 'src/sub/.rsync-filter': Invalid argument"
cmp src/b fifo/b || fail "the rest of the tree was not copied"
rm src/sub/.rsync-filter

# Rules of root's, that would leave 'a' out.
printf -- '- a\n' >rules
chmod 0600 rules
ln -s "$PWD/rules" src/sub/.rsync-filter
chown -h nobody src/sub/.rsync-filter
ucp_try --sync -F src theirs
expect_rc 1
expect_err_line "ucp: cannot read 'src/sub/.rsync-filter': Operation not permitted"
[ -e theirs/sub/a ] || fail "a link of another user's was followed"

chown -h root src/sub/.rsync-filter
ucp_try --sync -F src mine
expect_ok
assert_absent mine/sub/a
cmp src/b mine/b || fail "b was not copied"

# A rule file only the mirror has, that cannot be read: what it would
# rule on stays (files too), the error names it under the mirror, once,
# and the run exits 1.
rm -rf src m
mkdir -p src/a m/a
printf '1\n' >src/a/f
printf -- '- [abc\n' >m/a/.rsync-filter
printf 'x\n' >m/a/x
printf 'y\n' >m/a/y
ucp_try --sync --delete -F src m
expect_rc 1
expect_err_line "ucp: cannot read 'm/a/.rsync-filter': Invalid argument"
[ "$(grep -c 'rsync-filter' "$T_ERR")" = 1 ] || fail "the error is not said once: $(cat "$T_ERR")"
[ -f m/a/x ] && [ -f m/a/y ] || fail "files under unreadable rules were deleted"

# A rule file only the mirror has: its rules keep what they name in its
# own directory as below it, as rsync -F (a/keepme went, a/sub/keep2
# stayed).
rm -rf src m
mkdir -p src/a m/a/sub
printf '1\n' >src/a/f
printf -- '- keep*\n' >m/a/.rsync-filter
printf 'k\n' >m/a/keepme
printf 'k\n' >m/a/sub/keep2
printf 'o\n' >m/a/sub/other
ucp_try --sync --delete -F src m
expect_ok
[ -f m/a/keepme ] && [ -f m/a/sub/keep2 ] || fail "the mirror's rules did not keep both: $(ls -R m/a)"
assert_absent m/a/sub/other
