#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# -L copies a symbolic link in the tree as the file it leads to, with that
# file's extended attributes and ACL (-a), as cp -aL does, whichever way
# its data goes; --sync -L too. The ring's chain (a file not in the page
# cache, or --engine=uring) read the attributes of the link itself (none):
# the copy lost its ACL, and a group the ACL kept out could read it.
# (UCP_FAULT makes every file take the ring's chain where io_uring works.)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
mkdir src
printf 'secret\n' >src/f
setfacl -m u::rw-,g::---,o::---,u:nobody:rw-,m::rw- src/f
setfattr -n user.tag -v keep src/f
ln -s f src/l
want_acl=$(getfacl -cp src/f)

# has_them PATH WHAT: PATH carries src/f's ACL and user.tag.
has_them() {
	[ "$(getfacl -cp "$1")" = "$want_acl" ] ||
		fail "$2: $1's ACL is not src/f's: $(getfacl -cp "$1" | tr '\n' ' ')"
	[ "$(getfattr --only-values -n user.tag "$1" 2>/dev/null)" = keep ] ||
		fail "$2: $1 lost user.tag"
}

UCP_FAULT=cached:1+:EAGAIN ucp_try -aL src dst
expect_ok "-aL"
[ -f dst/l ] && [ ! -L dst/l ] || fail "-aL: dst/l is not a file"
has_them dst/l "-aL"
has_them dst/f "-aL"

UCP_FAULT=cached:1+:EAGAIN ucp_try --sync -L src/ m
expect_ok "--sync -L"
has_them m/l "--sync -L"
# A second run finds the attributes the same: nothing to do.
ucp_try --sync -L --itemize-changes src/ m
expect_ok "--sync -L again"
[ ! -s "$T_OUT" ] || fail "--sync -L again changed: $(cat "$T_OUT")"
