#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A hard-linked file renamed in the source, or given one more name, whose
# new name the walk meets before the names the mirror has: the new name is
# linked to the mirror's copy, as rsync -H links it; no data is copied
# again and the names in place keep their inode (they were moved onto a
# fresh copy of the data, so a snapshot made with cp -al of the mirror no
# longer shared it, and 20 MB were written for a rename). A group all of
# whose names are new is copied once, its names linked to the copy.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/a src/b
head -c 1048576 /dev/urandom >src/a/f
ln src/a/f src/b/g
ucp_try --sync src dst
expect_ok
cp -al dst snap
ino=$(stat -c %i dst/b/g)
mv src/a/f src/a/renamed
for j in 1 4; do
	rm -rf dst
	cp -al snap dst
	# A dry run lists what the run then does.
	ucp_try -j "$j" --sync --delete --dry-run --itemize-changes src dst
	expect_ok
	LC_ALL=C sort "$T_OUT" >dry.out
	ucp_try -j "$j" --sync --delete --stats --itemize-changes src dst
	expect_ok
	grep -v -e '^[A-Z][a-z ]*:' -e '^$' "$T_OUT" | LC_ALL=C sort | diff -u - dry.out >&2 ||
		fail "-j $j: the dry run listed otherwise than the run (- run, + dry run)"
	grep -qx 'hf+++++++++ a/renamed => b/g' "$T_OUT" ||
		fail "-j $j: the new name is not listed as a link to b/g: $(cat "$T_OUT")"
	grep -q "^Bytes: *0 " "$T_OUT" "$T_ERR" || fail "-j $j: data copied: $(grep -h Bytes "$T_OUT" "$T_ERR")"
	[ "$(stat -c %i dst/b/g)" = "$ino" ] && [ "$(stat -c %i dst/a/renamed)" = "$ino" ] ||
		fail "-j $j: b/g and a/renamed are not the mirror's old copy"
	[ ! -e dst/a/f ] || fail "-j $j: a/f not deleted"
done
# One name more, in a directory the run makes (its files take another
# path, by either engine), met before or after the mirror's names as the
# workers go: several runs, from the same mirror each.
mkdir src/0new
ln src/b/g src/0new/h
for j in 1 2 4 8 1 2 4 8; do
	rm -rf dst2
	cp -al dst dst2
	ucp_try -j "$j" --sync src dst2
	expect_ok
	[ "$(stat -c %i dst2/0new/h)" = "$ino" ] && [ "$(stat -c %i dst2/b/g)" = "$ino" ] ||
		fail "-j $j: the added name is not linked to the mirror's copy"
done
rm -rf dst2
ucp_try --sync src dst
expect_ok

# A group new to the mirror, all of its names new: one copy, linked.
mkdir -p src/n1 src/n2
for i in 1 2 3; do
	printf 'data %s\n' "$i" >"src/n1/f$i"
	ln "src/n1/f$i" "src/n2/g$i"
done
ucp_try --sync --stats src dst
expect_ok
for i in 1 2 3; do
	[ "$(stat -c %i "dst/n1/f$i")" = "$(stat -c %i "dst/n2/g$i")" ] ||
		fail "n1/f$i and n2/g$i are not linked"
	cmp "src/n1/f$i" "dst/n2/g$i" || fail "n2/g$i differs"
done
grep -q "^Bytes: *21 " "$T_OUT" "$T_ERR" || fail "the new group's data was not copied once: $(grep -h Bytes "$T_OUT" "$T_ERR")"
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_empty

# One file given a new name in each of many directories, under a low limit
# on open files: each waiting name holds its directory, so only a few wait
# (it ran out of descriptors: names left out, links broken, and a retry
# of every failed open made it crawl).
(ulimit -n 64) 2>/dev/null || skip "cannot set the descriptor limit to 64"
rm -rf src dst
mkdir -p src/zz/1/2
printf 'one\n' >src/zz/1/2/f
for i in $(seq 1 150); do mkdir "src/a$i"; done
ucp_try --sync src dst
expect_ok
for i in $(seq 1 150); do ln src/zz/1/2/f "src/a$i/x"; done
ucp_try_nofile 64 --sync src dst
expect_ok
[ "$(find dst -name x | wc -l)" = 150 ] || fail "$(find dst -name x | wc -l) of 150 new names made"
[ "$(stat -c %i dst/a*/x dst/zz/1/2/f | sort -u | wc -l)" = 1 ] ||
	fail "the names are not all links of one file"
