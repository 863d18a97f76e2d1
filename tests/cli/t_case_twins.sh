#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Copy mode into a directory that was there, on a file system that does
# not tell case apart (exFAT or FAT, loop-mounted by the test): two source
# names that differ in case only ("case" and "CASE", directories "D" and
# "d") reach one entry there. The later overwrote the earlier's copy, or
# merged into its directory, without a word, exit 0 (which one survived
# depended on the engine). Now the later is not copied, an error as in a
# directory the run makes ("File exists"), exit 1, and the earlier's copy
# is whole. On a file system that tells case apart, both are copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/D src/d src/sub
printf 'a\n' >src/case
printf 'bb\n' >src/CASE
printf '1\n' >src/D/one
printf '2\n' >src/d/two
printf 'x\n' >src/sub/x
printf 'X\n' >src/sub/X

# Here (a file system that tells case apart): all copied.
mkdir here
ucp_try -r src/. here
expect_ok
for f in case CASE D/one d/two sub/x sub/X; do
	cmp "src/$f" "here/$f" || fail "here/$f differs"
done

# Two hard links whose names differ in case only, on a file system that
# tells case apart: one file reached by both spellings, and no twins (they
# made the mirror's directory look like one that folds case, and a later
# run said "File exists" and kept --delete from running).
mkdir -p hl/sub
printf 'x\n' >hl/sub/readme
ln hl/sub/readme hl/sub/README
for run in 1 2 3; do
	[ $run != 3 ] || printf 'new\n' >hl/sub/new
	ucp_try --sync --delete hl/ hlm/
	expect_ok "--sync of hard links named apart in case only (run $run)"
done
[ hlm/sub/readme -ef hlm/sub/README ] || fail "hlm/sub: the hard links were parted"

mount_nocase mnt
for into in existing made; do
	if [ $into = existing ]; then
		mkdir mnt/e
		ucp_try -r src/. mnt/e
		top=mnt/e
	else
		ucp_try -r src mnt/m
		top=mnt/m
	fi
	expect_rc 1 "into a directory that does not tell case apart ($into)"
	[ "$(grep -c "File exists" "$T_ERR")" = 3 ] ||
		{ show_last; fail "$into: not one error for each later twin"; }
	# Each entry holds the bytes of one source name, whole: none of the
	# other's, and no directory holds both twins' files. (Read under the
	# name the listing gives: a FUSE file system may keep the attributes
	# it first gave the other spelling, of an empty file, for a while.)
	for pair in "case CASE" "sub/x sub/X"; do
		set -- $pair
		dir=$top/${1%/*}
		[ "$dir" != "$top/$1" ] || dir=$top
		name=$(ls "$dir" | grep -ix "${1##*/}")
		got=$(cat "$dir/$name")
		[ "$got" = "$(cat "src/$1")" ] || [ "$got" = "$(cat "src/$2")" ] ||
			fail "$into: $dir/$name holds '$got'"
	done
	n=$(find "$top/d" -type f | wc -l)
	[ "$n" = 1 ] || fail "$into: the twin directories were merged: $(find "$top/d" -type f)"
done

# A pair the locale folds but the file system may not (the Kelvin sign
# and k: two names on exFAT) met first says nothing of the directory: a
# real twin after it is still not copied (it was taken for a directory
# that tells case apart, and "a" overwrote "A" without a word).
kelvin=$(printf '\342\204\252')
mkdir -p kv/sub "mnt/k/sub"
printf 'small\n' >kv/sub/kx
printf 'kelvin\n' >"kv/sub/${kelvin}x"
printf 'A\n' >kv/sub/A
printf 'a\n' >kv/sub/a
ucp_try -j 1 -r kv/. mnt/k
expect_rc 1 "a real twin after a pair beyond ASCII"
grep -Eq "cannot create regular file 'mnt/k/\./sub/(a|A)': File exists" "$T_ERR" ||
	{ show_last; fail "the twin after a pair beyond ASCII was not said"; }
[ "$(ls mnt/k/sub | grep -ic '^a$')" = 1 ] || fail "mnt/k/sub: $(ls mnt/k/sub)"
