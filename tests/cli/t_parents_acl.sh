#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --parents with -a or -p gives the directories it makes their source's
# ACLs, the default ACL too, and with -a their other attributes, as the
# manual says (cp -a --parents gives the ACLs): they got neither, exit 0,
# so that files made later in them were not held to the default ACL. An
# ACL the target's default ACL gave a made directory goes where the
# source's has none, as for any copy with -p.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
mkdir -p s/a/b/c
printf 'x\n' >s/a/b/c/f
setfacl -m u:1234:rwx s/a/b
setfacl -d -m u:4321:r,o::- s/a
setfattr -n user.p -v 1 s/a
for how in "-a" "-p"; do
	rm -rf "t$how"
	mkdir "t$how"
	# The target's default ACL, which the made directories inherit.
	setfacl -d -m u:99:rwx "t$how"
	cd s
	ucp_try "$how" --parents a/b/c/f "../t$how"
	cd ..
	expect_ok "$how --parents"
	for dir in a a/b a/b/c; do
		[ "$(getfacl -cpn "s/$dir")" = "$(getfacl -cpn "t$how/$dir")" ] ||
			fail "$how --parents: the ACLs of $dir: $(getfacl -cpn "t$how/$dir")"
	done
	x=$(getfattr -n user.p --only-values "t$how/a" 2>/dev/null || true)
	case $how in
	-a) [ "$x" = 1 ] || fail "-a --parents: the attribute user.p of a is '$x'" ;;
	-p) [ -z "$x" ] || fail "-p --parents: the attribute user.p of a was copied" ;;
	esac
done
