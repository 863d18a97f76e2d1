#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -a by a user who may not open a source directory (mode 700, another's):
# its copy is made, the error said (exit 1, as cp), and it gets the
# directory's ACL, read by name as cp reads it (it got the mode and times
# but no ACL: an entry the ACL gave was lost), also when a user attribute
# of it may not be read (the directory's only error is said).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the locked directory is another user's"
unpriv_setup
need_acl_xattr
mkdir -p src/locked
chmod 755 src
setfacl -m u:1234:rwx src/locked
setfattr -n user.tag -v t src/locked
chmod 700 src/locked
want=$(getfacl -cp src/locked | grep '^user:1234:')
ucp_try_unpriv -a src dst
expect_rc 1 "a directory that may not be opened"
expect_err_exact "ucp: cannot open directory 'src/locked': Permission denied"
[ -d dst/locked ] || fail "dst/locked was not made"
[ "$(getfacl -cp dst/locked | grep '^user:1234:')" = "$want" ] ||
	fail "dst/locked lacks the ACL entry: $(getfacl -cp dst/locked | tr '\n' ' ')"

# With xattr named (--preserve=mode,xattr), what is left out is said, as
# cp says it; the ACL is kept all the same.
ucp_try_unpriv -r --preserve=mode,xattr src dst2
expect_rc 1 "--preserve=xattr, a directory that may not be opened"
expect_err_line "ucp: cannot open directory 'src/locked': Permission denied"
expect_err_line "ucp: cannot preserve extended attributes of 'src/locked': Permission denied"
[ "$(getfacl -cp dst2/locked | grep '^user:1234:')" = "$want" ] ||
	fail "--preserve=xattr: dst2/locked lacks the ACL entry: $(getfacl -cp dst2/locked | tr '\n' ' ')"
