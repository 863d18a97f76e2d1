#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --debug prints, for each copied entry, the -v line and how it was copied:
# the io_uring chain, copy_file_range, read/write, sparse extents, links.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
printf 'small\n' >src/small
head -c 1048576 /dev/urandom >src/big
truncate -s 8M src/sparse
printf 'x' | dd of=src/sparse bs=1 seek=4M conv=notrunc 2>/dev/null
ln -s small src/link
mkfifo src/fifo

ucp_try -r --debug src dst
expect_ok
line_for() {
	grep -F -- "-> '${2:-dst}/$1' (" "$T_OUT" || { show_last; fail "no --debug line for $1"; }
}
line_for d | grep -q '(directory created)' || fail "directory line"
line_for link | grep -q '(symlink recreated)' || fail "symlink line"
line_for fifo | grep -q '(mknod)' || fail "fifo line"
line_for small | grep -Eq '\((io_uring, one linked chain|copy_file_range|read/write|read/write, from the page cache|reflink)\)' ||
	fail "small file line: $(line_for small)"
line_for big | grep -Eq '\((io_uring, linked read/write chunks|copy_file_range|read/write|reflink)\)' ||
	fail "big file line: $(line_for big)"
if [ "$(stat -c %b src/sparse)" -lt 8000 ]; then
	line_for sparse | grep -q '(sparse: SEEK_DATA extents' ||
		fail "sparse file line: $(line_for sparse)"
fi
# Without --debug, -v lines carry no method.
ucp_try -rv src dst2
expect_ok
if grep -q ' (' "$T_OUT"; then show_last; fail "-v printed a method"; fi

ucp_try -rl --debug src dst3
expect_ok
grep -F "'dst3/small' (hard link to the source)" "$T_OUT" >/dev/null ||
	{ show_last; fail "-l line"; }

# The planner's row follows the method: a replaced file says so, and a
# sync run says which quick-check row sent a file to be copied.
ucp_try -r --debug src/small dst/
expect_ok
line_for small | grep -Eq '; exists, replaced\)$' ||
	fail "replace row: $(line_for small)"
ucp_try --sync --debug -v src mirror
expect_ok
printf 'longer now\n' >src/small
ucp_try --sync --debug -v src mirror
expect_ok
line_for small mirror | grep -Eq '; changed\)$' ||
	fail "sync row: $(line_for small mirror)"
if grep -F "'mirror/big'" "$T_OUT"; then show_last; fail "unchanged file copied"; fi
