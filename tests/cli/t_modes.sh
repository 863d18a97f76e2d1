#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copies get the source permission bits minus the umask; setuid and setgid
# bits are dropped, and the sticky bit is kept on directories only (as cp).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/ro_dir src/sticky
printf 'ro\n' >src/ro_dir/f
printf 'ro\n' >src/ro
printf 'suid\n' >src/suid
printf 'sgid\n' >src/sgid
printf 'group\n' >src/group
printf 'wide\n' >src/wide
printf 'x\n' >src/exec_only
chmod 444 src/ro src/ro_dir/f
chmod 4755 src/suid
chmod 2755 src/sgid
chmod 640 src/group
chmod 666 src/wide
chmod 700 src/exec_only
chmod 1777 src/sticky
chmod 555 src/ro_dir

ucp_try -r src dst
expect_ok
cmp_trees src dst
assert_mode dst/suid 755
assert_mode dst/wide 644
assert_mode dst/ro_dir 555
assert_mode dst/sticky 1755

umask 027
ucp_try -r src dst027
expect_rc 0 "umask 027"
cmp_trees src dst027
assert_mode dst027/wide 640
assert_mode dst027/sticky 1750
umask 022

ucp_try src/suid one
expect_ok
assert_mode one 755
ucp_try src/ro two
expect_ok
assert_mode two 444
