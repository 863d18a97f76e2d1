#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync --delete -x as a user, where the tree the source lost holds a
# mount point in a directory its owner may read but not search (0400): the
# mounted file system is left alone, as rsync -x leaves it. (To see the
# mount point the directory must be searched: it is given owner rwx, as a
# read-only directory on the way is, before its entries are looked at.)
# Root (to mount), the copy as a user.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "a tmpfs is mounted inside the mirror"
unpriv_setup
mkdir -p src m/gone/mnt m/gone/sub
printf 'goes\n' >m/gone/f
printf 'goes too\n' >m/gone/sub/g
mount -t tmpfs -o size=1m tmpfs m/gone/mnt 2>/dev/null || skip "cannot mount a tmpfs here"
# (After unpriv_setup's own clean-up, which would remove the mount's files.)
trap 'umount "$UNPRIV_DIR/work/m/gone/mnt"; chmod -R u+rwX -- "$UNPRIV_DIR"; rm -rf -- "$UNPRIV_DIR"' EXIT
printf 'other file system\n' >m/gone/mnt/keep
mkdir m/gone/mnt/d
printf 'deep\n' >m/gone/mnt/d/keep2
unpriv_own src m
chmod 0400 m/gone
ucp_try_unpriv --sync --delete -x src/ m
expect_ok
[ "$(cat m/gone/mnt/keep 2>/dev/null)" = "other file system" ] ||
	fail "--delete -x removed a file of the file system mounted in the mirror"
[ "$(cat m/gone/mnt/d/keep2 2>/dev/null)" = deep ] ||
	fail "--delete -x removed a directory of the file system mounted in the mirror"
assert_absent m/gone/f
assert_absent m/gone/sub
[ "$(stat -c %a m/gone)" = 400 ] || fail "m/gone, which stays for its mount point, ended $(stat -c %a m/gone), want 400"
