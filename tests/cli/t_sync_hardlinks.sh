#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync -H over an existing mirror: a new hard link to an unchanged file
# becomes a hard link in the mirror too (not a copy of its own), in the
# same directory and in another; a later run changes nothing and leaves
# no temporary.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
printf 'data\n' >src/a
printf 'other\n' >src/c
printf 'solo\n' >src/d/solo
ucp_try --sync -aH src m
expect_ok
ln src/a src/b
ln src/c src/d/c2
ucp_try --sync -aH src m
expect_ok
expect_mirror src m
same_inode() {
	[ "$(stat -c %i "$1")" = "$(stat -c %i "$2")" ] ||
		fail "$1 and $2 are not one file"
}
same_inode m/a m/b
same_inode m/c m/d/c2
[ "$(stat -c %h m/a)" = 2 ] || fail "m/a has $(stat -c %h m/a) links, want 2"
[ "$(stat -c %h m/d/solo)" = 1 ] || fail "an unlinked file got linked"
assert_no_tmp m
# Nothing changed: nothing to report, the links stay.
ucp_try --sync -aH --itemize-changes src m
expect_ok
expect_out_empty
same_inode m/a m/b
assert_no_tmp m

# Two names that were copies of their own become one file when the source
# links them (as rsync -aHi, one 'hf' line, no letters, for the name made
# a link, " => " the other); nothing is listed again after.
printf 'twin\n' >src/t1
cp -p src/t1 src/t2
ucp_try --sync -aH src m
expect_ok
rm src/t2
ln src/t1 src/t2
touch -d '2020-01-01' src
ucp_try --sync -aH --itemize-changes src m
expect_ok
same_inode m/t1 m/t2
n=$(grep -Ec '^hf {10}(t1 => t2|t2 => t1)$' "$T_OUT" || true)
[ "$n" = 1 ] || {
	show_last
	fail "expected one 'hf' line for the name made a link, saw $n"
}
ucp_try --sync -aH --itemize-changes src m
expect_ok
expect_out_empty

# The same when the copies' mode differs too: one line for each name (the
# one settled, the one made a link), never two for one name.
printf 'pair\n' >src/p1
ln src/p1 src/p2
ucp_try --sync -aH src m
expect_ok
rm m/p2
cp -p m/p1 m/p2
chmod 600 m/p1 m/p2
touch -r src m
ucp_try --sync -aH --itemize-changes src m
expect_ok
same_inode m/p1 m/p2
[ "$(stat -c %a m/p1)" = "$(stat -c %a src/p1)" ] || fail "p1's mode was not mended"
for name in p1 p2; do
	# (the name a line lists: after the code, before any " => ")
	n=$(cut -c13- "$T_OUT" | sed 's/ => .*//' | grep -cx "$name" || true)
	[ "$n" = 1 ] || {
		show_last
		fail "$name listed $n times"
	}
done
