#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A POSIX ACL holds permissions, so it goes with the mode, as in cp: -p and
# --preserve=mode keep it (a file's, a directory's default one), -r does
# not. Onto a file system that cannot hold it (ramfs, mounted by the
# test as root), the copy is made but the ACL's loss is an error naming
# the file, exit 1, as with cp -p: the copy's mode alone would let in a
# user the source shuts out.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfacl >/dev/null && command -v getfacl >/dev/null ||
	skip "setfacl/getfacl not installed (package acl)"
printf 'secret\n' >deny
setfacl -m u:65534:--- deny 2>/dev/null || skip "this file system takes no ACL"
mkdir dd
setfacl -d -m u:65534:r-x dd
acl_of() { getfacl -cp "$1" 2>/dev/null | grep -v '^#' | LC_ALL=C sort; }
for opt in -p --preserve=mode -a; do
	rm -rf "c$opt" "d$opt"
	ucp_try "$opt" deny "c$opt"
	expect_ok
	[ "$(acl_of "c$opt")" = "$(acl_of deny)" ] || fail "$opt: the file's ACL was not kept: $(acl_of "c$opt")"
	ucp_try -r "$opt" dd "d$opt"
	expect_ok
	[ "$(acl_of "d$opt")" = "$(acl_of dd)" ] || fail "$opt: the directory's ACL was not kept: $(acl_of "d$opt")"
done
ucp_try -r deny plain
expect_ok
acl_of plain | grep -q nobody && fail "-r kept the ACL"

[ "$(id -u)" = 0 ] || exit 0
mkdir ram
mount -t ramfs ramfs ram 2>/dev/null || { printf 'cannot mount a ramfs: the rest not run\n'; exit 0; }
trap 'umount ram' EXIT
ucp_try -a deny ram/c
expect_rc 1 "-a onto a file system without ACLs"
expect_err_line "ucp: cannot preserve the ACL of 'ram/c': Operation not supported"
cmp deny ram/c || fail "the data were not copied"
ucp_try -r deny ram/r
expect_ok
