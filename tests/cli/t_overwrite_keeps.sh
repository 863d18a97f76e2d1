#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An existing destination file, as cp would leave it (cp writes into it):
# - replaced (the default): the new file keeps the old one's ACL and
#   extended attributes, so no one gains access it did not have;
# - --preserve=mode: it keeps the old owner (root);
# - rewritten in place (other hard links) with -p: the source's mode and
#   owner, and no ACL of the old file's left granting more;
# - --attributes-only -p: the source's owner and mode, the old ACL gone.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
need_acl_xattr

printf 'new\n' >s
chmod 600 s

# acl_of FILE: its ACL entries, one line.
acl_of() { getfacl -cp "$1" 2>/dev/null | tr '\n' ' '; }

# Replaced: the ACL and the attribute stay.
printf 'old\n' >d
chmod 600 d
setfacl -m u:99:r d
setfattr -n user.k -v kept d
want=$(acl_of d)
ucp_try s d
expect_ok
[ "$(cat d)" = new ] || fail "d was not replaced"
[ "$(acl_of d)" = "$want" ] || fail "the ACL of the replaced file was lost: $(acl_of d)"
[ "$(getfattr --only-values -n user.k d 2>/dev/null)" = kept ] ||
	fail "the attribute of the replaced file was lost"

# --preserve=mode: the owner stays.
printf 'old\n' >o
chown 1234:5678 o
ucp_try --preserve=mode s o
expect_ok
[ "$(stat -c %u:%g o)" = 1234:5678 ] || fail "--preserve=mode gave the file to $(stat -c %u:%g o)"
assert_mode o 600

# In place (another hard link), -p: the source's mode and owner, the old
# ACL and set-user-ID bit gone.
printf 'old\n' >h
chmod 4755 h
chown 1234:5678 h
setfacl -m u:99:rwx h
ln h h2
ucp_try -p s h
expect_ok
[ "$(stat -c %i h)" = "$(stat -c %i h2)" ] || fail "the hard links were parted"
[ "$(stat -c '%a %u:%g' h)" = "600 0:0" ] || fail "-p in place left $(stat -c '%a %u:%g' h)"
getfacl -cps h 2>/dev/null | grep -q . && fail "-p in place left the old ACL: $(acl_of h)"

# --attributes-only -p: the same for a file whose data stays.
printf 'old\n' >a
chown 1234:5678 a
setfacl -m u:99:rwx a
ucp_try --attributes-only -p s a
expect_ok
[ "$(cat a)" = old ] || fail "--attributes-only changed the data"
[ "$(stat -c '%a %u:%g' a)" = "600 0:0" ] || fail "--attributes-only -p left $(stat -c '%a %u:%g' a)"
getfacl -cps a 2>/dev/null | grep -q . && fail "--attributes-only -p left the old ACL: $(acl_of a)"
exit 0
