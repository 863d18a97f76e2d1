#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An existing destination file is replaced atomically (a reader holding the
# old file keeps the old bytes), and existing directories are merged into.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_file new 300000
mk_file old 1000000
cp old dst

exec 3<dst
ucp_try new dst
expect_ok
assert_same_file new dst
cmp -s old - <&3 || fail "the old file was rewritten in place, not replaced"
exec 3<&-
assert_no_tmp .

# Shorter old file, longer new one.
mk_file short 10
cp short dst2
ucp_try old dst2
expect_rc 0 "longer over shorter"
assert_same_file old dst2

# Merge: entries only in the destination survive, common files are replaced.
mk_sizes src
mkdir -p src/sub
printf 'new\n' >src/sub/f
mkdir -p out/src/sub out/src/only_dst
printf 'stale content that is longer\n' >out/src/sub/f
printf 'keep\n' >out/src/keep
printf 'x\n' >out/src/size_4096
ucp_try -r src out
expect_rc 0 "merge into an existing directory"
[ "$(cat out/src/keep)" = keep ] || fail "'out/src/keep' lost"
[ -d out/src/only_dst ] || fail "'out/src/only_dst' lost"
[ "$(cat out/src/sub/f)" = new ] || fail "'out/src/sub/f' not replaced"
for n in $SIZES; do
	assert_same_file "src/size_$n" "out/src/size_$n"
done
assert_no_tmp out

# A destination file with other hard links is rewritten in place, as cp
# does: every name of it sees the new data. With -b the backup keeps the
# old inode and its other names, as with cp -b.
printf 'new data\n' >nf
printf 'old\n' >hl1
ln hl1 hl2
ucp_try nf hl1
expect_ok
[ "$(cat hl2)" = 'new data' ] || fail "the other name of the replaced file kept the old data"
[ "$(stat -c %i hl1)" = "$(stat -c %i hl2)" ] || fail "the hard links were parted"
printf 'old\n' >bl1
ln bl1 bl2
ucp_try -b nf bl1
expect_ok
[ "$(cat bl2)" = old ] || fail "-b: the other name lost the old data"
[ "$(cat bl1)" = 'new data' ] || fail "-b: the file was not replaced"
# Kept hard links (-a, --preserve=links) part them too, as in cp: the copy
# is linked as its source is, and the other name is not the copy's.
for opt in -a --preserve=links; do
	printf 'old\n' >al1
	ln -f al1 al2
	chmod 600 al1
	ucp_try "$opt" nf al1
	expect_ok
	[ "$(cat al2)" = old ] || fail "$opt: the other name got the new data"
	[ "$(cat al1)" = 'new data' ] || fail "$opt: the file was not replaced"
	assert_mode al2 600
done
