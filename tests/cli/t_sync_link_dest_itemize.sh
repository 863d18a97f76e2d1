#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --itemize-changes with --link-dest lists a new snapshot as rsync -i
# lists it: each entry against its twin in the reference (rsync's basis),
# not as new. What is linked is not listed, nor a directory that differs
# in nothing; a changed file shows what differs from its twin (>f.st), a
# file made again only for its attributes 'c' and those (cf...p, cf...x),
# a directory whose time changed cd..t; what no reference has is new
# (+++). The dry run lists the same.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
rm -f probe
mkdir -p src/d src/k
printf 'one\n' >src/d/f
printf 'two\n' >src/g
printf 'three\n' >src/h
printf 'four\n' >src/k/x
printf 'same\n' >src/same
ucp_try --sync src/ s0/
expect_ok

printf 'twenty-two\n' >src/g
touch -d '2002-02-02 02:02:02' src/g
chmod 600 src/h
setfattr -n user.added -v 1 src/d/f
touch -d '2001-01-01 01:01:01' src/k
mkdir src/e
printf 'y\n' >src/e/y
printf 'new\n' >src/new
# (The root's time as the reference has it: no line for ./.)
touch -r s0 src

want='>f+++++++++ e/y
>f+++++++++ new
>f.st...... g
cd+++++++++ e/
cd..t...... k/
cf........x d/f
cf...p..... h'
ucp_try --sync --dry-run --itemize-changes --link-dest=../s0 src/ s2/
expect_ok
[ "$(LC_ALL=C sort "$T_OUT")" = "$want" ] || {
	LC_ALL=C sort "$T_OUT" >&2
	fail "the dry run did not list the snapshot against its reference"
}
ucp_try --sync --itemize-changes --link-dest=../s0 src/ s1/
expect_ok
expect_mirror src s1
[ "$(LC_ALL=C sort "$T_OUT")" = "$want" ] || {
	LC_ALL=C sort "$T_OUT" >&2
	fail "the snapshot was not listed against its reference"
}
[ "$(stat -c %i s1/same)" = "$(stat -c %i s0/same)" ] ||
	fail "an unchanged file was not linked"

# Without a reference, everything is new.
ucp_try --sync --itemize-changes --link-dest=../none src/ s3/
expect_ok
[ "$(grep -c '+++++++++' "$T_OUT")" = "$(wc -l <"$T_OUT")" ] ||
	fail "a snapshot without its reference was not listed as new"

# --checksum: a file of its twin's size and time whose bytes differ is
# new data (>fc), listed; a symbolic link made anew shows 'c' (cLc), as
# rsync lists them. With two references, the basis is the one that has
# the file's size and time, not the first.
mkdir -p c/src
printf 'aaaa\n' >c/src/f
ln -s t c/src/l
ucp_try --sync c/src/ c/r0/
expect_ok
printf 'bbbb\n' >c/src/f
touch -r c/r0/f c/src/f
touch -h -d '2003-01-01 00:00:00' c/src/l
touch -r c/r0 c/src
ucp_try --sync -c --itemize-changes --link-dest=../r0 c/src/ c/u1/
expect_ok
expect_mirror c/src c/u1
[ "$(LC_ALL=C sort "$T_OUT")" = '>fc........ f
cLc.t...... l -> t' ] || fail "--checksum: listed $(cat "$T_OUT")"
mkdir -p m/src m/a m/b
printf 'one\n' >m/src/f
printf 'longer, other\n' >m/a/f
cp -p m/src/f m/b/f
chmod 600 m/b/f
touch -r m/src m/a
touch -r m/src m/b
ucp_try --sync --itemize-changes --link-dest=../a --link-dest=../b m/src/ m/u/
expect_ok
expect_out_line 'cf...p..... f'

# A hard-linked group whose names the reference has, as one file: linked
# from there, unlisted, as rsync lists it (the later name showed
# hf+++++++++ a => b), in the dry run too.
mkdir -p hg/src
printf 'x\n' >hg/src/a
ln hg/src/a hg/src/b
ucp_try --sync hg/src/ hg/r0/
expect_ok
ucp_try --sync --itemize-changes --link-dest=../r0 hg/src/ hg/r1/
expect_ok
expect_out_empty
[ "$(stat -c %i hg/r1/b)" = "$(stat -c %i hg/r0/a)" ] || fail "the group was not linked from the reference"
ucp_try --sync --dry-run --itemize-changes --link-dest=../r0 hg/src/ hg/r2/
expect_ok
expect_out_empty
