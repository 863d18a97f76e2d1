#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -x does not descend into a file system mounted inside the source: the
# mount point is copied as an empty directory, as cp -x does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root to mount a tmpfs"
mkdir -p src/mnt src/here
printf 'kept\n' >src/here/f
mount -t tmpfs -o size=1m tmpfs src/mnt 2>/dev/null || skip "cannot mount tmpfs here"
trap 'umount src/mnt' EXIT
printf 'other fs\n' >src/mnt/g

ucp_try -rx src dst
expect_ok
cp -rx src ref
[ -f dst/here/f ] || fail "-x skipped a file on the same file system"
[ -d dst/mnt ] || fail "-x did not create the mount point"
[ ! -e dst/mnt/g ] || fail "-x descended into another file system"
[ "$(ls -A ref/mnt)" = "$(ls -A dst/mnt)" ] || fail "mount point differs from cp -x"

ucp_try -r src all
expect_ok
[ -f all/mnt/g ] || fail "without -x the mounted file system was not copied"
