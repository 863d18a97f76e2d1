#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A mirror on a file system that keeps whole seconds (ext4 with 128-byte
# inodes, loop-mounted by the test) holds the source's times cut to the
# second: a second --sync finds nothing to do, and -u copies nothing again,
# as rsync and cp -u settle there. A time that differs in whole seconds
# is still a change.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "needs root to loop-mount an ext4 image"
command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 not installed (package e2fsprogs)"
truncate -s 16M coarse.img
mkfs.ext4 -q -I 128 coarse.img || skip "mkfs.ext4 -I 128 failed"
mkdir mnt
mount -o loop coarse.img mnt 2>/dev/null || skip "cannot loop-mount here"
trap 'umount mnt' EXIT

mkdir -p src/sub
echo one >src/a
echo two >src/sub/b
echo three >src/c
touch -d '2020-01-01 00:00:01.7' src/a
touch -d '2021-06-01 12:00:00.123456789' src/sub/b src/sub
# The mount keeps whole seconds (else this test proves nothing).
touch -d '2020-01-01 00:00:01.7' mnt/probe
[ "$(stat -c %y mnt/probe)" = "2020-01-01 00:00:01.000000000 $(date -d 2020-01-01 +%z)" ] ||
	skip "this ext4 keeps times finer than seconds: $(stat -c %y mnt/probe)"
rm mnt/probe

ucp_try --sync --delete src mnt/m
expect_ok "first sync"
ucp_try --sync --delete --itemize-changes src mnt/m
expect_ok "second sync"
[ ! -s "$T_OUT" ] || fail "the second sync changes again: $(cat "$T_OUT")"

# A change in whole seconds is still seen.
touch -d '2020-01-01 00:00:03.2' src/a
ucp_try --sync --delete --itemize-changes src mnt/m
expect_ok "sync after a change"
grep -q '^>f\.\.t\.* a$' "$T_OUT" || fail "a's new time was not copied: $(cat "$T_OUT")"

# -u: the copies there are not older than their sources.
ucp_try -a src mnt/u
expect_ok "-a"
ucp_try -a -u -v src/. mnt/u
expect_ok "-a -u"
! grep -q -- "->" "$T_OUT" || fail "-u copied again: $(cat "$T_OUT")"
