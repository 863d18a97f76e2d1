#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync compares and mirrors what it keeps, and only that: ACLs go with
# the mode, the other attributes with xattr. With --no-preserve=mode (or
# =xattr) --itemize-changes listed an ACL ('a') or attribute ('x') change
# on every run that it never made; and with the mode kept but not xattr
# and context, a source's ACL change was never mirrored.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
mkdir src src/dd
printf '1\n' >src/f
setfacl -m u:65534:r src/f
printf '2\n' >src/g
setfattr -n user.k -v v src/g
setfacl -d -m u:65534:rx src/dd

# What is not kept is not listed, run after run.
for no in mode xattr; do
	ucp_try --sync --no-preserve=$no src "m.$no"
	expect_ok
	for _ in 1 2; do
		ucp_try --sync -c --no-preserve=$no --itemize-changes src "m.$no"
		expect_ok
		expect_out_empty
	done
done
getfacl -cp m.mode/f | grep -q 'user:65534' && fail "--no-preserve=mode wrote the ACL"
getfattr -n user.k m.xattr/g >/dev/null 2>&1 && fail "--no-preserve=xattr wrote the attribute"

# The mode kept without the attributes: ACL changes are mirrored, added
# and taken away (a directory's default ACL too), and the mirror's own
# attributes stay, as rsync -A without -X leaves them.
o=--no-preserve=xattr,context
ucp_try --sync $o src m
expect_ok
setfattr -n user.mine -v 1 m/g
setfacl -m u:1:r src/f
ucp_try --sync $o --itemize-changes src m
expect_ok
expect_out_line ".f.......a. f"
[ "$(getfacl -cpn m/f)" = "$(getfacl -cpn src/f)" ] ||
	fail "an ACL entry added was not mirrored: $(getfacl -cpn m/f)"
setfacl -b src/f src/dd
ucp_try --sync $o --itemize-changes src m
expect_ok
expect_out_line ".f.......a. f"
expect_out_line ".d.......a. dd/"
for e in f dd; do
	[ "$(getfacl -cpn "m/$e")" = "$(getfacl -cpn "src/$e")" ] ||
		fail "an ACL taken away stayed on $e: $(getfacl -cpn "m/$e")"
done
[ "$(getfattr --only-values -n user.mine m/g)" = 1 ] ||
	fail "the mirror's own attribute went without xattr kept"
ucp_try --sync $o --itemize-changes src m
expect_ok
expect_out_empty
