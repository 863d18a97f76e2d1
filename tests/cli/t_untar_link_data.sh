#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A hard link that carries data (cpio; pax allows it) writes it only into
# an empty regular file, its first name extracted without data (cpio's
# newc). Into a FIFO it hung the run (an open waiting for a reader), into
# a device it wrote the device, and an archive cut short in it truncated
# the whole earlier member under its final name. GNU tar ignores a link's
# data, bsdtar writes only regular files.
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
