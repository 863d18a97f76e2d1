#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --tar to .tar.zst compresses with libzstd itself, the content checksum
# on (the frame header says so); where libzstd cannot be loaded, libarchive's
# zstd filter writes the stream instead, without the checksum, exit 0, and
# the archive extracts to the same tree. Debug builds (a test hook names a
# library that is not there).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir -p src/sub
mk_sizes src
mk_sizes src/sub

# The frame header descriptor: the byte after the magic 28 b5 2f fd; its
# bit 2 is the content checksum flag.
descriptor() {
	od -An -tx1 -N5 "$1" | tr -d ' \n'
}

ucp_try --tar src own.tar.zst
expect_ok
d=$(descriptor own.tar.zst)
[ "${d:0:8}" = 28b52ffd ] || fail "own.tar.zst is not a zstd frame: $d"
(((16#${d:8:2} & 4) != 0)) || fail "own.tar.zst has no content checksum: $d"

UCP_TEST_ZSTD_NAME=libucp-no-zstd.so.9 ucp_try --tar src lib.tar.zst
expect_ok
expect_err_empty
d=$(descriptor lib.tar.zst)
[ "${d:0:8}" = 28b52ffd ] || fail "lib.tar.zst is not a zstd frame: $d"
(((16#${d:8:2} & 4) == 0)) || fail "lib.tar.zst was not written by libarchive's filter: $d"

for a in own lib; do
	mkdir "out_$a"
	ucp_try --untar "$a.tar.zst" "out_$a"
	expect_ok
	cmp_trees src "out_$a/src"
done
