#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Per-directory merge files (-F's .rsync-filter) in a tree others may
# write: a FIFO in place of one is an error naming it, never a run that
# hangs (it waited for a writer for ever, and SIGTERM could not end it);
# one that is a symbolic link is followed only when root or the running
# user owns the link, as rsync: else a user could have root read a file
# of root's as rules (refused: an error, as a file that cannot be read). A bad line in one is an error naming the file and
# the line, and its directory is not copied: what the file's good rules
# exclude was copied for want of them. The rest of the tree is still
# copied.
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
expect_err_line "ucp: cannot read 'src/sub/.rsync-filter': Invalid argument; directory 'src/sub' not copied"
cmp src/b fifo/b || fail "the rest of the tree was not copied"
assert_absent fifo/sub/a
rm src/sub/.rsync-filter

# A good rule, then bad ones: nothing of the directory is copied.
printf 'k\n' >src/sub/key
for bad in '- [z' '. other' 'bogus rule'; do
	printf -- '- key\n%s\n' "$bad" >src/sub/.rsync-filter
	rm -rf bad
	ucp_try --sync -F src bad
	expect_rc 1
	case $bad in
	'- [z') why="invalid pattern" ;;
	'. other') why="filter rule not supported" ;;
	*) why="unknown filter rule" ;;
	esac
	expect_err_exact "ucp: 'src/sub/.rsync-filter' line 2: $why; directory 'src/sub' not copied"
	assert_absent bad/sub/key
	assert_absent bad/sub/a
	cmp src/b bad/b || fail "the rest of the tree was not copied"
done
rm src/sub/.rsync-filter src/sub/key

# Rules of root's, that would leave 'a' out.
printf -- '- a\n' >rules
chmod 0600 rules
ln -s "$PWD/rules" src/sub/.rsync-filter
chown -h nobody src/sub/.rsync-filter
ucp_try --sync -F src theirs
expect_rc 1
expect_err_line "ucp: cannot read 'src/sub/.rsync-filter': Operation not permitted; directory 'src/sub' not copied"
cmp src/b theirs/b || fail "the rest of the tree was not copied"

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
expect_err_line "ucp: 'm/a/.rsync-filter' line 1: invalid pattern"
[ "$(grep -c 'rsync-filter' "$T_ERR")" = 1 ] || fail "the error is not said once: $(cat "$T_ERR")"
[ -f m/a/x ] && [ -f m/a/y ] || fail "files under unreadable rules were deleted"
# Not even when errors do not hold the deletions back.
ucp_try --sync --delete --ignore-errors -F src m
expect_rc 1
expect_err_line "ucp: 'm/a/.rsync-filter' line 1: invalid pattern"
[ -f m/a/x ] && [ -f m/a/y ] || fail "--ignore-errors: files under unreadable rules were deleted"

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

# A pattern with a slash inside, in a rule file below the top, matches the
# end of the path from the source's top, as rsync matches it (not the
# path from the file's directory): proj/.rsync-filter's "- */cache/*"
# keeps proj/cache/blob out, and proj/cache/old in the mirror, excluded,
# is not deleted; "- proj/tmp" in it names proj/tmp.
rm -rf src m
mkdir -p src/proj/cache src/proj/tmp m/proj/cache
printf 'b\n' >src/proj/cache/blob
printf 'k\n' >src/proj/keep
printf 't\n' >src/proj/tmp/t
printf -- '- */cache/*\n- proj/tmp\n' >src/proj/.rsync-filter
printf 'precious\n' >m/proj/cache/old
ucp_try --sync --delete -F src m
expect_ok
[ -f m/proj/keep ] || fail "proj/keep was not copied"
assert_absent m/proj/cache/blob
assert_absent m/proj/tmp
[ "$(cat m/proj/cache/old 2>/dev/null)" = precious ] || fail "the excluded m/proj/cache/old was deleted"

# ':e NAME': the file's own name is left out before its rules are read, as
# rsync puts it: its "+ .*" does not take it back in (it was copied), and
# the mirror's own, excluded so, is not deleted.
rm -rf src m
mkdir -p src/sub m
printf 'd\n' >src/sub/f
printf 'p\n' >src/sub/.profile
printf '+ .*\n- *.tmp\n' >src/sub/.rules
printf '+ .*\n' >m/.rules
ucp_try --sync --delete -f ':e .rules' src m
expect_ok
assert_absent m/sub/.rules
[ -f m/sub/.profile ] || fail "the rule file's '+ .*' did not keep .profile"
[ -f m/.rules ] || fail "the mirror's own .rules, excluded by 'e', was deleted"
