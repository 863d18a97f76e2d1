#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --untar honours --no-preserve=timestamps (members keep the time of their
# extraction, as tar -m) and --no-preserve=xattr (no extended attribute
# but the ACLs, which go with the mode, as tar --no-xattrs); both took the
# option and restored the times and attributes all the same.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
mkdir -p src/d
printf 'data\n' >src/d/f
setfattr -n user.k -v v src/d/f
setfacl -m u:99:r src/d/f
touch -d '2002-02-02' src/d/f src/d
ucp_try --tar src a.tar
expect_ok "the archive"
old=$(date -d '2002-02-02' +%s)

# mtime PATH: its modification time, in seconds.
mtime() { stat -c %Y "$1"; }
# acl_of PATH: its ACL entry for user 99, or nothing.
acl_of() { getfacl -cp "$1" 2>/dev/null | grep '^user:99:' || true; }

ucp_try -p --untar a.tar all
expect_ok "-p, everything"
[ "$(mtime all/src/d/f)" = "$old" ] && [ "$(mtime all/src/d)" = "$old" ] ||
	fail "-p: the archived times were not restored"
[ "$(getfattr --only-values -n user.k all/src/d/f)" = v ] ||
	fail "-p: user.k not restored"
[ -n "$(acl_of all/src/d/f)" ] || fail "-p: the ACL was not restored"

ucp_try -p --no-preserve=timestamps --untar a.tar nt
expect_ok "--no-preserve=timestamps"
[ "$(mtime nt/src/d/f)" != "$old" ] || fail "the file's time was restored"
[ "$(mtime nt/src/d)" != "$old" ] || fail "the directory's time was restored"
[ "$(getfattr --only-values -n user.k nt/src/d/f)" = v ] ||
	fail "--no-preserve=timestamps: user.k not restored"

ucp_try -p --no-preserve=xattr --untar a.tar nx
expect_ok "--no-preserve=xattr"
[ "$(mtime nx/src/d/f)" = "$old" ] || fail "--no-preserve=xattr: time lost"
getfattr -n user.k nx/src/d/f >/dev/null 2>&1 && fail "user.k was restored"
[ -n "$(acl_of nx/src/d/f)" ] ||
	fail "--no-preserve=xattr: the ACL (the mode's) was not restored"
cmp src/d/f nx/src/d/f || fail "--no-preserve=xattr: the data differ"

ucp_try --no-preserve=all --untar a.tar na
expect_ok "--no-preserve=all"
[ "$(mtime na/src/d/f)" != "$old" ] || fail "--no-preserve=all: time restored"
getfattr -n user.k na/src/d/f >/dev/null 2>&1 &&
	fail "--no-preserve=all: user.k was restored"
[ -z "$(acl_of na/src/d/f)" ] || fail "--no-preserve=all: the ACL was restored"
cmp src/d/f na/src/d/f || fail "--no-preserve=all: the data differ"
