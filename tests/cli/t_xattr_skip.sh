#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Attributes no copy carries (those /etc/xattr.conf marks "skip", as cp
# and rsync skip them): XFS shows root its ACLs raw as trusted.SGI_ACL_FILE
# and trusted.SGI_ACL_DEFAULT; carried to another file system they were
# dead bytes setfacl does not see, and brought back to XFS they gave back
# an ACL entry since removed. Not copied, synced, archived nor restored,
# and a mirror's own are not removed (on XFS, they are its ACL). Root.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "trusted.* attributes are root's"
command -v setfattr >/dev/null && command -v getfattr >/dev/null ||
	skip "setfattr or getfattr is not installed (attr)"
need_acl_xattr

# names FILE: its attribute names, one a line, sorted.
names() { getfattr --absolute-names -h -d -m - "$1" 2>/dev/null | sed -n 's/=.*//p' | sort; }

mkdir s
printf 'data\n' >s/f
setfattr -n user.k -v v s/f
setfattr -n user.Beagle.index -v x s/f 2>/dev/null || skip "no user attributes here"
setfattr -n trusted.SGI_ACL_FILE -v 0sAAAAAQ== s/f
setfattr -n trusted.keep -v t s/f
want="trusted.keep
user.k"
for how in "-a" "-r --preserve=xattr" "--sync"; do
	rm -rf d
	ucp_try $how s d
	expect_ok
	[ "$(names d/f)" = "$want" ] || fail "ucp $how: the copy's attributes are $(names d/f | tr '\n' ' ')"
done
ucp_try --sync --itemize-changes s d
expect_ok
expect_out_empty
ucp_try --tar s a.tar
expect_ok
! grep -aq -e SGI_ACL -e Beagle a.tar || fail "--tar archived a skipped attribute"
# One archived by another tool is not restored either.
if tar --xattrs --xattrs-include='*' -cf gnu.tar s 2>/dev/null && grep -aq SGI_ACL gnu.tar; then
	ucp_try --untar -a gnu.tar u
	expect_ok
	[ "$(names u/s/f)" = "$want" ] || fail "--untar restored $(names u/s/f | tr '\n' ' ')"
fi

# On XFS: a file's ACL there, taken away from its ext4 copy, does not come
# back with the copy; a mirror on XFS keeps its ACL, and runs again with
# nothing to do.
command -v setfacl >/dev/null && command -v getfacl >/dev/null || exit 0
mount_xfs x
printf 'secret\n' >x/f
chmod 660 x/f
setfacl -m u:65534:rw x/f
names x/f | grep -qx trusted.SGI_ACL_FILE || exit 0 # (an XFS that shows none)
ucp_try -a x/f e
expect_ok
! names e | grep -q SGI || fail "the XFS ACL's raw attribute was copied to $(stat -f -c %T e)"
setfacl -b e
ucp_try -a e x/back
expect_ok
! getfacl -cpn x/back 2>/dev/null | grep -q '^user:65534:' ||
	fail "an ACL entry taken away came back with the copy"
mkdir acl
printf 'a\n' >acl/g
setfacl -m u:65534:r acl/g
ucp_try --sync acl x/m
expect_ok
ucp_try --sync --itemize-changes acl x/m
expect_ok
expect_out_empty
getfacl -cpn x/m/g 2>/dev/null | grep -qx 'user:65534:r--' || fail "the mirror on XFS lost its ACL"
