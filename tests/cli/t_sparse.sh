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
	# Size, then the bytes of every data extent of either file.
	"$SPARSECMP" "src/$f" "dst/$f" || fail "content differs: $f"
done
got=$(( $(stat -c %b dst/big) * $(stat -c %B dst/big) ))
[ "$got" -le $((4 * 1024 * 1024)) ] ||
	fail "dst/big takes $got bytes on disk; holes were filled"
got=$(( $(stat -c %b dst/hole_only) * $(stat -c %B dst/hole_only) ))
[ "$got" -le 65536 ] || fail "dst/hole_only takes $got bytes on disk"

# --sparse=always also turns runs of zeros stored as data into holes;
# --sparse=never writes every byte, holes included.
head -c 4194304 /dev/zero >src2_zeros
printf 'end' >>src2_zeros
mkdir src2
mv src2_zeros src2/zeros
truncate -s 8M src2/holey
ucp_try -r --sparse=always src2 always
expect_ok
cmp src2/zeros always/zeros || fail "--sparse=always changed the bytes"
got=$(( $(stat -c %b always/zeros) * $(stat -c %B always/zeros) ))
[ "$got" -le 65536 ] || fail "--sparse=always left $got bytes allocated for zeros"
# Zeros short of a block at the end take no block either (the size is set
# after, as cp sets it): data, then 100 zero bytes; and 100 zeros alone.
{ head -c 8192 /dev/urandom; head -c 100 /dev/zero; } >tailz
head -c 100 /dev/zero >onlyz
ucp_try --sparse=always tailz onlyz always
expect_ok
cmp tailz always/tailz && cmp onlyz always/onlyz || fail "--sparse=always changed a zero tail"
[ "$(stat -c %b always/onlyz)" = 0 ] ||
	fail "--sparse=always allocated $(stat -c %b always/onlyz) blocks for 100 zero bytes"
[ $(( $(stat -c %b always/tailz) * 512 )) -le 8192 ] ||
	fail "--sparse=always allocated $(( $(stat -c %b always/tailz) * 512 )) bytes for 8 KiB of data"
# From a pipe, whose size is known only at its end: zeros at the end, a
# block and more or less than one, still count.
{ head -c 5000 /dev/urandom; head -c 8192 /dev/zero; head -c 100 /dev/zero; } >streamz
ucp_try --sparse=always <(cat streamz) always/streamz
expect_ok
cmp streamz always/streamz || fail "--sparse=always from a pipe lost its zero tail"
# The same with --no-cache, whose reads and writes are its own.
ucp_try -r --sparse=always --no-cache src2 always_nc
expect_ok
cmp src2/zeros always_nc/zeros || fail "--sparse=always --no-cache changed the bytes"
got=$(( $(stat -c %b always_nc/zeros) * $(stat -c %B always_nc/zeros) ))
[ "$got" -le 65536 ] ||
	fail "--sparse=always --no-cache left $got bytes allocated for zeros"
ucp_try -r --sparse=never src2 never
expect_ok
cmp src2/holey never/holey || fail "--sparse=never changed the bytes"
got=$(( $(stat -c %b never/holey) * $(stat -c %B never/holey) ))
[ "$got" -ge $((8 * 1024 * 1024)) ] || fail "--sparse=never kept holes ($got bytes allocated)"
ucp_try -r --sparse=sometimes src2 bad
expect_rc 2 "bad --sparse value"

# --untar --sparse=never writes a sparse member's holes as zeros (the
# option was taken and ignored); without it they stay holes.
ucp_try --tar src2 sp.tar
expect_ok
ucp_try --untar --sparse=never sp.tar unever
expect_ok
cmp src2/holey unever/src2/holey || fail "--untar --sparse=never changed the bytes"
got=$(( $(stat -c %b unever/src2/holey) * $(stat -c %B unever/src2/holey) ))
[ "$got" -ge $((8 * 1024 * 1024)) ] || fail "--untar --sparse=never kept holes ($got bytes allocated)"
ucp_try --untar sp.tar uauto
expect_ok
got=$(( $(stat -c %b uauto/src2/holey) * $(stat -c %B uauto/src2/holey) ))
[ "$got" -lt $((8 * 1024 * 1024)) ] || fail "--untar made the holes data ($got bytes allocated)"

# --untar --sparse=always leaves zeros stored as data as holes too, and a
# member that ends in them keeps its size (it came out cut at its last
# data, exit 0: a final hole is a size, not a write).
ucp_try --tar tailz onlyz src2 zt.tar
expect_ok
ucp_try --untar --sparse=always zt.tar ualways
expect_ok
for f in tailz onlyz src2/holey src2/zeros; do
	cmp "$f" "ualways/$f" || fail "--untar --sparse=always changed $f"
done
[ "$(stat -c %b ualways/onlyz)" = 0 ] ||
	fail "--untar --sparse=always allocated $(stat -c %b ualways/onlyz) blocks for 100 zero bytes"
got=$(( $(stat -c %b ualways/src2/zeros) * $(stat -c %B ualways/src2/zeros) ))
[ "$got" -le 65536 ] || fail "--untar --sparse=always left $got bytes allocated for zeros"
