#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A big file whose data is not in memory is handed to write-back behind
# its copy (--debug: "written back behind"), so that reading and writing
# overlap; one whose data is in memory is not (that copy is bound by the
# CPU). Both copies are exact.
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

cat src/big >/dev/null
ucp_try --debug -r src hot
expect_ok
grep -q "big' (" "$T_OUT" || fail "--debug said nothing of the big file"
if grep -q "written back behind" "$T_OUT"; then
	fail "a big file in memory was written back behind its copy"
fi
cmp -s src/big hot/big || fail "the copy of the file in memory differs"
