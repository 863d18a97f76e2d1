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
