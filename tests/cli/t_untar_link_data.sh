#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A hard link that carries data (cpio; pax allows it) writes it only into
# an empty regular file, its first name extracted without data (cpio's
# newc). Into a FIFO it hung the run (an open waiting for a reader), into
# a device it wrote the device, and an archive cut short in it truncated
# the whole earlier member under its final name. GNU tar ignores a link's
# data, bsdtar writes only regular files. newc's names before the last
# wait for it, as GNU cpio has them wait: made empty as they came, an
# archive cut short before the last left the files they replaced empty.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

# odc NAME MODE INO NLINK DATA: one POSIX cpio (odc) member; members of
# one inode with several links are hard links to the first.
odc() {
	printf '070707%06o%06o%06o%06o%06o%06o%06o%011o%06o%011o%s\0%s' \
		1 "$3" "$2" 0 0 "$4" 0 1000000000 $((${#1} + 1)) ${#5} "$1" "$5"
}
{
	odc fifo 010644 5 2 ""
	odc link 0100644 5 2 "hello"
	odc after 0100644 6 1 "a"
	odc 'TRAILER!!!' 0 0 1 ""
} >fifo.cpio
# (A hang here is the defect: timeout ends it and the test fails.)
RC=0
timeout 60 "$UCP" --untar fifo.cpio out >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
[ -p out/fifo ] && [ -p out/link ] || fail "the FIFO and its link are not FIFOs"
[ "$(cat out/after)" = a ] || fail "the member after the link was not extracted"

# newc: the data comes with the last name; the first is extracted empty.
mkdir src
head -c 100000 /dev/urandom >src/a
ln src/a src/b
if command -v bsdtar >/dev/null; then
	bsdtar -cf newc.cpio --format newc src
	ucp_try --untar newc.cpio n
	expect_ok
	cmp -s n/src/a src/a && cmp -s n/src/b src/a || fail "newc: the data of the linked names is not the file's"
	[ "$(stat -c %h n/src/a)" = 2 ] || fail "newc: the names are not linked"
fi

# Cut short in the link's data: the first name keeps its whole data.
ucp_try --tar --format=cpio src odc.cpio
expect_ok
size=$(stat -c %s odc.cpio)
head -c $((size - 30000)) odc.cpio >cut.cpio
ucp_try --untar cut.cpio c
expect_rc 1
for f in c/src/*; do
	cmp -s "$f" src/a || fail "$f is not whole after the archive was cut short: $(stat -c %s "$f") bytes"
done

# newc NAME MODE INO NLINK DATA: one SVR4 cpio (newc) member, name and
# data padded to four bytes; the data of a file of several names comes
# with its last name.
pad4() { [ $(($1 % 4)) -eq 0 ] || head -c $((4 - $1 % 4)) /dev/zero; }
newc() {
	printf '070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x' \
		"$3" "$2" 0 0 "$4" 1000000000 ${#5} 0 0 0 0 $((${#1} + 1)) 0
	printf '%s\0' "$1"
	pad4 $((110 + ${#1} + 1))
	printf '%s' "$5"
	pad4 ${#5}
}
# Three names with the data on the last, a file of two names that is
# empty (its second name after the others), a plain file among them.
{
	newc n/a 0100644 7 3 ""
	newc n/e 0100644 8 2 ""
	newc n/b 0100644 7 3 ""
	newc n/plain 0100644 9 1 "p"
	newc n/c 0100644 7 3 "three names"
	newc n/e2 0100644 8 2 ""
	newc 'TRAILER!!!' 0 0 1 ""
} >three.cpio
ucp_try --untar three.cpio w
expect_ok
for f in a b c; do
	[ "$(cat w/n/$f)" = "three names" ] || fail "newc: n/$f holds '$(cat w/n/$f)'"
done
[ "$(stat -c '%i %h' w/n/a)" = "$(stat -c '%i %h' w/n/c)" ] && [ "$(stat -c %h w/n/b)" = 3 ] ||
	fail "newc: the three names are not one file: $(stat -c '%n %i %h' w/n/*)"
[ -f w/n/e ] && [ ! -s w/n/e ] && [ w/n/e -ef w/n/e2 ] || fail "newc: the empty file of two names is not that"
[ "$(cat w/n/plain)" = p ] || fail "newc: the plain file is not whole"

# Cut short in the last name's data, over files there: they keep what they
# had, and the names not made are said.
mkdir -p k/n
echo old-a >k/n/a
echo old-b >k/n/b
at=$(grep -abo 'three names' three.cpio | cut -d: -f1)
head -c $((at + 5)) three.cpio >cut-data.cpio
ucp_try --untar cut-data.cpio k
expect_rc 1
[ "$(cat k/n/a)" = old-a ] && [ "$(cat k/n/b)" = old-b ] ||
	fail "newc cut in the data: the files there were replaced: $(head -c 20 k/n/a | od -c | head -1)"
expect_err_line "ucp: cannot extract 'n/a': its data comes with its hard link 'n/c', not extracted"
expect_err_line "ucp: cannot extract 'n/b': its data comes with its hard link 'n/c', not extracted"
[ "$(cat k/n/plain)" = p ] || fail "newc cut in the data: the plain file before the cut is not there"

# Cut short before the last name's header: the same.
at=$(grep -abo 'n/c' three.cpio | cut -d: -f1)
head -c $((at - 110)) three.cpio >cut-head.cpio
ucp_try --untar cut-head.cpio k
expect_rc 1
[ "$(cat k/n/a)" = old-a ] && [ "$(cat k/n/b)" = old-b ] ||
	fail "newc cut before the last name: the files there were replaced"
for f in a b e; do
	expect_err_line "ucp: cannot extract 'n/$f': the archive ends before the hard link that carries its data (cpio's newc puts it on the last name)"
done

# A later member of a waiting name's path comes after it, as the archive
# has them (the waiting names were made at the end, over it: a newer file
# emptied, a directory replaced by an empty file, exit 0); and a first name
# given twice, to two files, keeps each file's own names (they were paired
# by first name, not by file).
{
	newc e 0100644 1 2 ""
	newc e2 0100644 1 2 ""
	newc e 0100644 2 1 "new data"
	newc d 0100644 3 2 ""
	newc d2 0100644 3 2 ""
	newc d 040755 4 2 ""
	newc 'TRAILER!!!' 0 0 1 ""
} >later.cpio
ucp_try --untar later.cpio r
expect_ok
[ "$(cat r/e)" = "new data" ] || fail "the later member e was emptied: '$(cat r/e)'"
[ -d r/d ] || fail "the later directory d is $(stat -c %F r/d)"
[ -f r/e2 ] && [ ! -s r/e2 ] && [ -f r/d2 ] || fail "the earlier empty names are not there"
{
	newc a 0100644 1 2 ""
	newc a 0100644 2 2 ""
	newc b 0100644 1 2 "one"
	newc c 0100644 2 2 "two"
	newc 'TRAILER!!!' 0 0 1 ""
} >twice.cpio
ucp_try --untar twice.cpio t
expect_ok
[ "$(cat t/a)" = two ] && [ "$(cat t/c)" = two ] && [ t/a -ef t/c ] ||
	fail "the second file's names: a='$(cat t/a)' c='$(cat t/c)'"
[ "$(cat t/b)" = one ] && [ "$(stat -c %h t/b)" = 1 ] ||
	fail "the first file's other name: b='$(cat t/b)', $(stat -c %h t/b) links"
