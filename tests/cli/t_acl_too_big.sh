#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# An ACL the destination refuses for want of room (ENOSPC: an ext4 of 1 KiB
# blocks, where a file's attributes get one block) is an error that names
# the ACL, exit 1, as cp -p says "preserving permissions": it was dropped
# without a word, exit 0, with -a, -p and --preserve=mode (only a file
# system without ACLs was reported), and a mirror said "extended
# attributes". A directory's default ACL lost so would let every file made
# in it later be read by all. The source is on an ext4 of 4 KiB blocks.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "needs root to loop-mount two ext4 images"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 not installed (package e2fsprogs)"
command -v setfacl >/dev/null || skip "setfacl is not installed (acl)"
truncate -s 32M big.img small.img
mkfs.ext4 -q -F -b 4096 big.img >/dev/null 2>&1 || skip "mkfs.ext4 failed"
mkfs.ext4 -q -F -b 1024 small.img >/dev/null 2>&1 || skip "mkfs.ext4 failed"
mkdir s d
mount -o loop big.img s 2>/dev/null || skip "cannot loop-mount here"
if ! mount -o loop small.img d 2>/dev/null; then
	umount s
	skip "cannot loop-mount here"
fi
HERE=$(pwd)
# shellcheck disable=SC2016 # expanded when the trap runs
trap 'cd / && umount "$HERE/s" "$HERE/d"' EXIT
mkdir s/src s/src/dir
printf 'x\n' >s/src/f
# 200 named users: 1.6 KB, more than a 1 KiB block holds.
spec=$(seq -f 'u:%g:r' 10000 10199 | paste -sd,)
setfacl -m "$spec" s/src/f
setfacl -d -m "$spec,o::-" s/src/dir
getfacl -cn s/src/f | grep -q '^user:10199:' || skip "the source file system took no 200-entry ACL"

for how in "-a" "-r -p" "-r --preserve=mode" "--sync"; do
	rm -rf d/dst
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $how s/src d/dst
	expect_rc 1 "$how: an ACL the destination cannot hold"
	expect_err_line "ucp: cannot preserve the ACL of 'd/dst/f': No space left on device"
	expect_err_line "ucp: cannot preserve the ACL of 'd/dst/dir': No space left on device"
	cmp s/src/f d/dst/f || fail "$how: the data of f"
done
