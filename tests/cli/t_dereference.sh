#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -L follows every symlink in the tree (files and directories), -H only
# symlink operands, and the default with -r (-P) copies links as links:
# each compared with cp on the same tree. A link back to an ancestor is
# reported under -L instead of recursing forever, and a dangling one is an
# error (exit 1), as with cp.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p real/dir src
printf 'data\n' >real/file
printf 'inner\n' >real/dir/g
ln -s ../real/file src/flink
ln -s ../real/dir src/dlink
printf 'plain\n' >src/plain
ln -s src top

describe() {
	(cd "$1" && find . -printf '%p|%y|%l\n' | sort)
}

for opt in -L -H -P; do
	rm -rf "got$opt" "want$opt"
	ucp_try -r "$opt" top "got$opt"
	expect_ok
	cp -r "$opt" top "want$opt"
	describe "want$opt" >want
	describe "got$opt" >got
	diff -u want got >&2 || fail "ucp -r $opt differs from cp -r $opt"
done
cmp real/file got-L/flink || fail "-L did not copy the link target's bytes"

mkdir -p loop/sub
ln -s .. loop/sub/up
ucp_try -rL loop loopcopy
expect_rc 1 "a symlink cycle under -L"
expect_err_line "ucp: cannot copy cyclic symbolic link 'loop/sub/up'"
[ -d loopcopy/sub ] || fail "the rest of the tree was not copied"

# A dangling link under -L cannot be followed: an error (exit 1, as cp),
# not a file that vanished during the copy (24).
mkdir -p dang
printf 'a\n' >dang/a
ln -s nowhere dang/dangling
ucp_try -rL dang dangcopy
expect_rc 1 "a dangling symlink under -L"
expect_err_line "ucp: cannot stat 'dang/dangling': No such file or directory"
[ -f dangcopy/a ] || fail "the rest of the tree was not copied"

# -aL: names that lead to one file (the file, and links to it from
# anywhere in the tree) are one copy, hard links of each other, as cp -aL
# makes them (each was a copy of its own).
mkdir -p al/sub
printf 'data\n' >al/file
ln -s file al/link
ln -s file al/link2
ln -s ../file al/sub/l3
ucp_try -aL al alcopy
expect_ok
[ "$(stat -c %i alcopy/file alcopy/link alcopy/link2 alcopy/sub/l3 | sort -u | wc -l)" = 1 ] ||
	fail "-aL: the names of one file are not one copy"
[ "$(cat alcopy/sub/l3)" = data ] || fail "-aL: the copy's data"
