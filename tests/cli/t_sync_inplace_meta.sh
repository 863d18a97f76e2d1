#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync --inplace rewrites a changed file into its old inode, and the
# inode then takes the source's metadata whatever it had: owner, mode (no
# set-user-ID bit left from before), no ACL or attribute the source no
# longer has. As rsync -aAX --inplace. Root (owners). And --itemize-changes
# shows an ACL change as rsync does (a, not x).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
need_acl_xattr

mkdir src
printf 'old\n' >src/f
chown 1:1 src/f
chmod 4755 src/f
setfacl -m u:65534:rw src/f
setfattr -n user.x -v 1 src/f
ucp_try --sync src dst
expect_ok
ino=$(stat -c %i dst/f)

printf 'new data\n' >src/f
chown 0:0 src/f
setfacl -b src/f
chmod 644 src/f
setfattr -x user.x src/f
touch -d '2020-01-01' src/f
ucp_try --sync --inplace src dst
expect_ok
[ "$(stat -c %i dst/f)" = "$ino" ] || fail "--inplace made a new inode"
[ "$(cat dst/f)" = 'new data' ] || fail "the data was not rewritten"
[ "$(stat -c '%a %u:%g' dst/f)" = "644 0:0" ] || fail "--inplace left $(stat -c '%a %u:%g' dst/f)"
getfacl -cps dst/f 2>/dev/null | grep -q . && fail "--inplace left the old ACL"
getfattr -d dst/f 2>/dev/null | grep -q user.x && fail "--inplace left the old attribute"
[ "$(stat -c %Y dst/f)" = "$(stat -c %Y src/f)" ] || fail "the time was not set"

# Nothing left to do on the next run.
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_empty

# --itemize-changes gives an ACL change rsync's a, not x; both when both
# changed.
printf 'm\n' >src/acl
chmod 644 src/acl
setfacl -m u:7:r src/acl
ucp_try --sync src dst
expect_ok
setfacl -b src/acl
chmod 644 src/acl
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_line ".f.......a. acl"
getfacl -cps dst/acl 2>/dev/null | grep -q . && fail "the removed ACL stayed"
setfacl -m u:8:r src/acl
setfattr -n user.q -v 1 src/acl
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_line ".f.......ax acl"
