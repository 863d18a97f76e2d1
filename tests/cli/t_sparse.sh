#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sparse files keep their holes (leading, middle, trailing, and a file that is
# only a hole) and their bytes; a 2 GiB file with 1 MiB of data stays small.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src
truncate -s 2G src/big
head -c 1048576 /dev/urandom | dd of=src/big bs=1M seek=1000 conv=notrunc status=none
truncate -s 10M src/hole_only
printf 'head' >src/lead_data
truncate -s 8M src/lead_data
truncate -s 8M src/mid
printf 'tail' | dd of=src/mid bs=1 seek=$((8 * 1024 * 1024 - 4)) conv=notrunc status=none
alloc=$(( $(stat -c %b src/big) * $(stat -c %B src/big) ))
if [ "$alloc" -gt $((4 * 1024 * 1024)) ]; then
	skip "this filesystem does not keep holes (2 GiB file takes $alloc bytes)"
fi

ucp_try -r src dst
expect_ok
for f in big hole_only lead_data mid; do
	cmp "src/$f" "dst/$f" || fail "content differs: $f"
	[ "$(stat -c %s "dst/$f")" = "$(stat -c %s "src/$f")" ] || fail "size differs: $f"
done
got=$(( $(stat -c %b dst/big) * $(stat -c %B dst/big) ))
[ "$got" -le $((4 * 1024 * 1024)) ] ||
	fail "dst/big takes $got bytes on disk; holes were filled"
got=$(( $(stat -c %b dst/hole_only) * $(stat -c %B dst/hole_only) ))
[ "$got" -le 65536 ] || fail "dst/hole_only takes $got bytes on disk"
