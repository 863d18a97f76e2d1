#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --no-cache: a copy (and a --sync) leaves neither the source's nor the
# copy's pages of a big file in the page cache (fincore), and the copy is
# exact; small files are copied too.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
command -v fincore >/dev/null || skip "fincore (util-linux) not installed"
[ "$(stat -f -c %T .)" != tmpfs ] ||
	skip "the test directory is on tmpfs, whose pages are the files"

mkdir src
head -c $((40 * 1024 * 1024 + 3)) /dev/urandom >src/big
for i in 1 2 3; do
	head -c $((1000 * i)) /dev/urandom >"src/small_$i"
done
# Written back, then read: the source's pages are clean and cached.
sync
cat src/big >/dev/null

resident() {
	fincore --bytes --noheadings --output RES "$1" | tr -d ' '
}

check_dropped() {
	local f n
	for f in "$@"; do
		n=$(resident "$f")
		[ "$n" -le $((1024 * 1024)) ] ||
			fail "--no-cache: $n bytes of '$f' are still in the page cache"
	done
}

ucp_try --no-cache -r src dst
expect_ok
# (Before comparing, which reads both.)
check_dropped src/big dst/big
cmp_trees src dst

cat src/big >/dev/null
ucp_try --no-cache --sync src mirror
expect_ok
check_dropped src/big mirror/big
cmp -s src/big mirror/big || fail "--sync --no-cache: the copy differs"
