#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --untar as root: a set-user-ID member with file capabilities comes out
# with neither without -p/-a (set-id bits dropped, security.capability not
# restored), and with both with -p or -a; user xattrs are restored in every
# case. Root without -p is told what the modes left out.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "file capabilities are set by root only"
command -v setfattr >/dev/null || skip "setfattr not installed (package attr)"
mkdir src
printf '#!/bin/sh\n' >src/prog
chmod 4755 src/prog
# cap_setuid+ep: revision 2 with the effective flag, permitted bit 7.
cap=0x0100000280000000000000000000000000000000
setfattr -n security.capability -v "$cap" src/prog 2>/dev/null ||
	skip "this file system has no file capabilities"
setfattr -n user.note -v kept src/prog 2>/dev/null ||
	skip "this file system has no user xattrs"
ucp_try --tar -a src a.tar
expect_ok

ucp_try --untar a.tar plain
expect_ok
assert_mode plain/src/prog "$(mode_after_umask 755)"
[ -z "$(getfattr -h -n security.capability -e hex plain/src/prog 2>/dev/null)" ] ||
	fail "without -p the capability was restored (mode $(stat -c %a plain/src/prog))"
[ "$(getfattr -h -n user.note --only-values plain/src/prog)" = kept ] ||
	fail "user xattr not restored"
# What was left out is said, once (GNU tar and bsdtar restore it for root,
# and a restore from a backup came out without it, without a word).
expect_err_line "ucp: warning: 'a.tar': permission bits not restored as archived (the umask applied; set-ID bits, ACLs and security.* and trusted.* attributes left out): -p restores them, as tar does for root"
[ "$(grep -c 'permission bits not restored' "$T_ERR")" = 1 ] || fail "the warning was said more than once"

for opt in -p -a; do
	ucp_try --untar "$opt" a.tar "out$opt"
	expect_ok
	expect_err_empty
	assert_mode "out$opt/src/prog" 4755
	getfattr -h -n security.capability -e hex "out$opt/src/prog" 2>/dev/null |
		grep -qi "security.capability=$cap" ||
		fail "with $opt the capability was not restored"
	[ "$(getfattr -h -n user.note --only-values "out$opt/src/prog")" = kept ] ||
		fail "with $opt the user xattr was not restored"
done
