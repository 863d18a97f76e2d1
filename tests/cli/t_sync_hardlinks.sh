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

# A dry run lists what the run then does, for a link group whose mirror
# holds one name only (the other is made a link), holds two copies of
# their own (one is made a link), or holds the link already (nothing).
# One worker: which name is a group's first follows the walk's order.
rm -rf dr
mkdir -p dr/s
printf 'grp\n' >dr/s/a
ln dr/s/a dr/s/b
printf 'c\n' >dr/s/c
for mirror in one two linked; do
	rm -rf dr/m
	mkdir dr/m
	cp -p dr/s/a dr/m/a
	cp -p dr/s/c dr/m/c
	case $mirror in
	two) cp -p dr/s/a dr/m/b ;;
	linked) ln dr/m/a dr/m/b ;;
	esac
	touch -r dr/s dr/m
	ucp_try --sync -aH -j 1 --dry-run --itemize-changes --stats dr/s/ dr/m
	expect_ok
	cp "$T_OUT" dry.out
	grep -E '^(Files|Hard links):' "$T_ERR" >dry.stats
	ucp_try --sync -aH -j 1 --itemize-changes --stats dr/s/ dr/m
	expect_ok
	same_inode dr/m/a dr/m/b
	diff -u "$T_OUT" dry.out >&2 ||
		fail "mirror holding $mirror: --dry-run listed otherwise than the run (- run, + dry run)"
	grep -E '^(Files|Hard links):' "$T_ERR" | diff -u - dry.stats >&2 ||
		fail "mirror holding $mirror: --dry-run counted otherwise than the run (- run, + dry run)"
	case $mirror in
	linked) [ ! -s dry.out ] || fail "mirror holding the link: something listed" ;;
	*) grep -Eq '^hf.{9} (a => b|b => a)$' dry.out ||
		fail "mirror holding $mirror: no link listed: $(cat dry.out)" ;;
	esac
done

# Hard-linked FIFOs, devices and symbolic links, as rsync -aHi: a new
# mirror lists the later name as 'h' with " => " the first (a symbolic
# link's target is not shown then); a mirror holding copies of their own
# gets them made one file, listed so once; a dry run lists the same.
rm -rf sp
mkdir -p sp/s
mkfifo sp/s/f1
ln sp/s/f1 sp/s/f2
ln -s tgt sp/s/l1
ln sp/s/l1 sp/s/l2
types='S L'
# (Devices where root may make them: not in a user namespace.)
if [ "$(id -u)" = 0 ] && mknod sp/s/d1 c 1 3 2>/dev/null; then
	ln sp/s/d1 sp/s/d2
	types='S L D'
fi
want_h() { # the listing in $1 has one h line per group, type by type
	for t in $types; do
		n=$(grep -Ec "^h$t.{9} ([fld])[12] => \\1[12]\$" "$1" || true)
		[ "$n" = 1 ] || {
			cat "$1" >&2
			fail "h$t: $n lines like 'h$t... x2 => x1' in $2"
		}
	done
}
ucp_try --sync -aH -j 1 --dry-run --itemize-changes sp/s/ sp/m
expect_ok
cp "$T_OUT" dry.out
ucp_try --sync -aH -j 1 --itemize-changes sp/s/ sp/m
expect_ok
diff -u "$T_OUT" dry.out >&2 ||
	fail "new mirror of special files: --dry-run listed otherwise (- run, + dry run)"
want_h "$T_OUT" "a new mirror"
same_inode sp/m/f1 sp/m/f2
same_inode sp/m/l1 sp/m/l2
[ "$types" = 'S L' ] || same_inode sp/m/d1 sp/m/d2
# Copies of their own in the mirror: made one file, each name listed once.
for x in f l ${types#S L}; do
	x=$(printf %s "$x" | tr D d)
	rm sp/m/${x}2
	cp -a sp/m/${x}1 sp/m/${x}2
done
touch -r sp/s sp/m
ucp_try --sync -aH -j 1 --dry-run --itemize-changes sp/s/ sp/m
expect_ok
cp "$T_OUT" dry.out
[ "$(stat -c %h sp/m/f2)" = 1 ] || fail "the dry run linked sp/m/f2"
ucp_try --sync -aH -j 1 --itemize-changes sp/s/ sp/m
expect_ok
diff -u "$T_OUT" dry.out >&2 ||
	fail "mirror of copies: --dry-run listed otherwise (- run, + dry run)"
grep -v '^h' "$T_OUT" | grep -q . &&
	fail "mirror of copies: more than the links listed: $(cat "$T_OUT")"
want_h "$T_OUT" "a mirror of copies"
same_inode sp/m/f1 sp/m/f2
same_inode sp/m/l1 sp/m/l2
[ "$types" = 'S L' ] || same_inode sp/m/d1 sp/m/d2
ucp_try --sync -aH --itemize-changes sp/s/ sp/m
expect_ok
expect_out_empty
