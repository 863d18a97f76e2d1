#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A sparse file on a file system that shows no holes (lseek answers "all
# data", as FUSE's ntfs-3g and NFSv3 answer: a preloaded helper here) was
# copied fully allocated, a 20 MiB file of 8 blocks becoming 40,960, and
# archived whole. Its blocks of zeros become holes, as cp and GNU tar
# --sparse find them; its bytes are the same. And where ftruncate cannot
# make a file longer, the holes are written as zeros.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_preload noholes
lib=$PRELOAD
mkdir src
truncate -s 20M src/sparse
head -c 8192 /dev/urandom | dd of=src/sparse bs=1M seek=10 conv=notrunc status=none
printf 'tail' >>src/sparse
alloc=$(( $(stat -c %b src/sparse) * $(stat -c %B src/sparse) ))
[ "$alloc" -le $((1024 * 1024)) ] ||
	skip "this file system does not keep holes (20 MiB file takes $alloc bytes)"
# (Helper check: the preloaded lseek shows no hole.)
ucp_cmd
for how in "-r src dst" "--sync src mirror"; do
	RC=0
	# shellcheck disable=SC2086 # split on purpose
	env LD_PRELOAD="$lib" "${UCP_CMD[@]}" --debug $how >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_ok
	grep -qF "(sparse: no holes shown, zero blocks as holes" "$T_OUT" ||
		fail "$how: --debug does not say the zeros became holes: $(cat "$T_OUT")"
	d=${how##* }
	cmp src/sparse "$d/sparse" || fail "$how: the bytes differ"
	got=$(( $(stat -c %b "$d/sparse") * $(stat -c %B "$d/sparse") ))
	[ "$got" -le $((1024 * 1024)) ] ||
		fail "$how: the copy takes $got bytes on disk; the holes were filled"
done

# --tar: the zeros found make the pax member's holes (a 10 KiB archive,
# not 20 MiB), which both ucp and GNU tar extract to the same bytes.
RC=0
env LD_PRELOAD="$lib" "${UCP_CMD[@]}" --tar src a.tar >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
size=$(stat -c %s a.tar)
[ "$size" -le $((64 * 1024)) ] || fail "--tar stored the zeros: a $size-byte archive"
ucp_try --untar a.tar out
expect_ok
cmp src/sparse out/src/sparse || fail "--untar: the bytes differ"
mkdir gnu
tar -xf a.tar -C gnu
cmp src/sparse gnu/src/sparse || fail "tar -x: the bytes differ"

# A file system that cannot make a file longer with ftruncate (FAT through
# FUSE says EPERM): the copy's trailing hole is written as zeros, as
# rsync without -S writes it ("cannot write", the copy gone, before).
rm -rf dst
truncate -s 1M src/trailing
RC=0
env LD_PRELOAD="$lib" NOHOLES_NO_EXTEND=1 "${UCP_CMD[@]}" -r src dst >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
for f in sparse trailing; do
	cmp "src/$f" "dst/$f" || fail "no ftruncate to extend: $f differs"
done
