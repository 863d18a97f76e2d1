#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Two sources with one name copied into one directory: never a copy of
# whichever came last by chance. A file is not put over the file the run
# just made (cp's "will not overwrite just-created"), nor a directory over
# a file or the reverse; two directories are not merged (cp merges them
# one after the other; ucp copies its operands at once); the same source
# given twice is copied once, with cp's warning. The first operand is
# copied, the others are refused with exit 1.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p d1/sub d2/sub d1/dir d3 dst
printf '1\n' >d1/sub/y
printf '2\n' >d2/sub/y
printf 'one\n' >d1/x
printf 'two\n' >d2/x
printf 'file\n' >d3/dir

# cp's words and status, and the first operand's copy, each time.
ucp_try d1/x d2/x dst
expect_rc 1 "two files of one name"
expect_err_line "ucp: will not overwrite just-created 'dst/x' with 'd2/x'"
[ "$(cat dst/x)" = one ] || fail "dst/x is not the first operand's"
rm -rf dst/*
cp d1/x d2/x dst 2>cp.err && fail "cp took two files of one name"
grep -q "will not overwrite just-created 'dst/x' with 'd2/x'" cp.err ||
	fail "cp's words changed: $(cat cp.err)"
rm -rf dst/*

# -u looks first, as cp's: a later file not newer than the copy just made
# (made now; with -p, of the first's time) is skipped without a word.
touch -d '2001-01-01 00:00:00' d1/x d2/x
ucp_try -u d1/x d2/x dst
expect_ok
expect_err_empty
[ "$(cat dst/x)" = one ] || fail "-u: dst/x is not the first operand's"
rm -rf dst/*
touch -d '2002-01-01 00:00:00' d2/x
ucp_try -up d1/x d2/x dst
expect_rc 1 "-up, the later file newer than the copy"
expect_err_line "ucp: will not overwrite just-created 'dst/x' with 'd2/x'"
rm -rf dst/*
touch -d '2000-01-01 00:00:00' d2/x
ucp_try -up d1/x d2/x dst
expect_ok
[ "$(cat dst/x)" = one ] || fail "-up: dst/x is not the first operand's"
rm -rf dst/*
# -l: the link made is the first file itself, of its time.
touch -d '2002-01-01 00:00:00' d2/x
ucp_try -u -l "$PWD/d1/x" "$PWD/d2/x" dst
expect_rc 1 "-u -l, the later file newer than the first"
expect_err_has "will not overwrite just-created"
rm -rf dst/*
touch -d '2000-01-01 00:00:00' d2/x
ucp_try -u -l "$PWD/d1/x" "$PWD/d2/x" dst
expect_ok
rm -rf dst/*

ucp_try -r d1/sub d2/sub dst
expect_rc 1 "two directories of one name"
expect_err_line "ucp: will not merge directory 'd2/sub' into 'dst/sub', where another source goes in this run"
[ "$(cat dst/sub/y)" = 1 ] || fail "dst/sub is not the first operand's"
rm -rf dst/*

ucp_try -r d1/dir d3/dir dst
expect_rc 1 "a file over a directory of one name"
expect_err_line "ucp: cannot overwrite directory 'dst/dir' with non-directory 'd3/dir'"
[ -d dst/dir ] || fail "dst/dir is not the first operand's"
rm -rf dst/*
ucp_try -r d3/dir d1/dir dst
expect_rc 1 "a directory over a file of one name"
expect_err_line "ucp: cannot overwrite non-directory 'dst/dir' with directory 'd1/dir'"
[ -f dst/dir ] || fail "dst/dir is not the first operand's"
rm -rf dst/*

# The same source twice: copied once, a warning, exit 0 (as cp).
ucp_try d1/x d1/x dst
expect_ok
expect_err_line "ucp: warning: source file 'd1/x' specified more than once"
ucp_try -r d1/sub ./d1/sub dst
expect_ok
expect_err_line "ucp: warning: source directory './d1/sub' specified more than once"
[ "$(cat dst/sub/y)" = 1 ] || fail "the twice-given directory was not copied"

# Under -r a symbolic link operand is copied as a link: it is not the
# directory it points to, given twice (which would skip that directory).
mkdir -p ln/a ln/b/x
printf 'd\n' >ln/b/x/file
ln -s ../b/x ln/a/x
rm -rf dst/*
ucp_try -r ln/a/x ln/b/x dst
expect_rc 1 "a link and a directory of one name"
expect_err_line "ucp: cannot overwrite non-directory 'dst/x' with directory 'ln/b/x'"
[ -L dst/x ] || fail "dst/x is not the first operand's link"
