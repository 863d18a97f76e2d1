#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --untar -p into a directory with a default ACL: a member without an ACL
# comes out without one, as in copy mode (it kept the entries inherited
# from the default ACL, which then granted a user the member's data, a
# file 0640 of another's, once its mode was set); one with an ACL gets its
# own. Without -p the inherited ACL stays (the directory's to decide, as
# with tar without --acls).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
mkdir -p src/proj
printf 'secret\n' >src/proj/secret
chmod 750 src/proj
chmod 640 src/proj/secret
ucp_try --tar src a.tar
expect_ok
mkdir restore
setfacl -d -m u:4242:rwx restore
for opt in -p -a; do
	rm -rf "restore/src"
	ucp_try --untar "$opt" a.tar restore
	expect_ok
	for f in restore/src/proj restore/src/proj/secret; do
		if getfacl -cp "$f" 2>/dev/null | grep -q 'user:4242'; then
			fail "--untar $opt: $f kept the inherited ACL: $(getfacl -cp "$f" | tr '\n' ' ')"
		fi
	done
	[ "$(stat -c %a restore/src/proj/secret)" = 640 ] ||
		fail "--untar $opt: the file's mode is $(stat -c %a restore/src/proj/secret)"
done
