#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A big file whose data is not in memory is handed to write-back behind
# its copy (--debug: "written back behind"), so that reading and writing
# overlap, by copy_file_range, a read/write loop or the ring's chunks; one
# whose data is in memory is not (that copy is bound by the CPU). Every
# copy is exact.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_page_cache

mkdir src
head -c $((70 * 1024 * 1024 + 5)) /dev/urandom >src/big
sync
uncache src/big

ucp_try --debug -r src cold
expect_ok
if grep -q "big' (reflink" "$T_OUT"; then
	skip "the file system clones files (reflink): no data is copied"
fi
grep -q "big' (.*written back behind" "$T_OUT" ||
	fail "a big file read from disk was not written back behind its copy"
cmp -s src/big cold/big || fail "the copy of the file read from disk differs"

# The ring's read/write chunks (what copies a big file read from disk where
# copy_file_range is not used) write behind too.
uncache src/big
ucp_try --debug -r --engine=uring --reflink=never src ring
expect_ok
if grep -q "big' (io_uring" "$T_OUT"; then
	grep -q "big' (io_uring, linked read/write chunks, written back behind" "$T_OUT" ||
		fail "the ring's chunks did not write back behind the copy"
else
	# (io_uring refused here: the thread engine copies it.)
	grep -q "big' (.*written back behind" "$T_OUT" ||
		fail "--reflink=never: not written back behind the copy"
fi
cmp -s src/big ring/big || fail "the copy through the ring's chunks differs"

cat src/big >/dev/null
ucp_try --debug -r src hot
expect_ok
grep -q "big' (" "$T_OUT" || fail "--debug said nothing of the big file"
if grep -q "written back behind" "$T_OUT"; then
	fail "a big file in memory was written back behind its copy"
fi
cmp -s src/big hot/big || fail "the copy of the file in memory differs"
