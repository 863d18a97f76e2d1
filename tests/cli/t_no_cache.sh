#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --no-cache: a copy (and a --sync) leaves none of the pages it brought
# into the page cache, of a big file's source or copy (fincore), and the
# copy is exact; small files are copied too.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_page_cache

mkdir src
head -c $((40 * 1024 * 1024 + 3)) /dev/urandom >src/big
for i in 1 2 3; do
	head -c $((1000 * i)) /dev/urandom >"src/small_$i"
done
sync

check_dropped() {
	local f n
	for f in "$@"; do
		n=$(resident "$f")
		[ "$n" -le $((1024 * 1024)) ] ||
			fail "--no-cache: $n bytes of '$f' are still in the page cache"
	done
}

# (--reflink=never: a clone would copy no data, and bring nothing in.)
# A source on disk only: what the copy brought in, of both files, goes.
uncache src/big
ucp_try --no-cache --reflink=never --debug -r src dst
expect_ok
# (Before comparing, which reads both.)
check_dropped src/big dst/big
cmp_trees src dst

# A source that was in the cache before: with RWF_DONTCACHE (Linux 6.14+,
# where the file system takes it) it stays, as the working set should;
# with the fallback's POSIX_FADV_DONTNEED it is dropped too. The copy's
# pages go either way. (The source is dropped first, so that all of it is
# cached by the plain read: a page the copy above left behind, which
# check_dropped allows, may still be marked for dropping by the kernel.)
uncache src/big
cat src/big >/dev/null
before=$(resident src/big)
ucp_try --no-cache --reflink=never --debug --sync src mirror
expect_ok
if grep -q "mirror/big' (.*RWF_DONTCACHE" "$T_OUT"; then
	after=$(resident src/big)
	[ "$after" -ge $((40 * 1024 * 1024)) ] ||
		fail "--no-cache evicted a source that was cached before the copy ($before bytes resident before, $after after)"
	check_dropped mirror/big
else
	check_dropped src/big mirror/big
fi
cmp -s src/big mirror/big || fail "--sync --no-cache: the copy differs"

# A destination that refuses RWF_DONTCACHE (tmpfs) after the source took
# it: the block read is written the other way, and the copy is exact.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ -w /dev/shm ]; then
	shm=$(mktemp -d /dev/shm/ucp-nocache.XXXXXX)
	trap 'rm -rf -- "$shm"' EXIT
	ucp_try --no-cache -r src "$shm/dst"
	expect_ok
	cmp_trees src "$shm/dst"
fi
