#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Into a directory with a default ACL, the kernel gives every new entry an
# ACL of its own. -p and -a make the copy's ACLs the source's, none
# included, as cp -p does: a file, a tree (files with and without ACLs of
# their own, a directory with a default ACL), --sync, and a directory
# merged into that had ACLs of its own. Without -p the inherited ACL stays,
# as with cp -r.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfacl >/dev/null && command -v getfacl >/dev/null ||
	skip "setfacl/getfacl not installed (package acl)"
mkdir src
printf 'secret\n' >src/plain
chmod 640 src/plain
setfacl -m u:65534:--- src/plain 2>/dev/null || skip "this file system takes no ACL"
setfacl -b src/plain
chmod 750 src
printf 'own\n' >src/own
setfacl -m u:1:r src/own
mkdir src/sub src/defsub
printf 'deep\n' >src/sub/f
setfacl -d -m u:2:rx src/defsub
printf 'inh\n' >src/defsub/g

# acls DIR: every entry's ACL, by relative name.
acls() { (cd "$1" && getfacl -cpnR . 2>/dev/null); }

for engine in uring threads; do
	rm -rf u c
	mkdir u c
	setfacl -d -m u:65534:rwx u c
	ucp_try --engine=$engine -p src/plain u/plain
	expect_ok
	cp -p src/plain c/plain
	[ "$(getfacl -cpn u/plain)" = "$(getfacl -cpn c/plain)" ] ||
		fail "$engine: -p file kept the inherited ACL: $(getfacl -cpn u/plain)"
	ucp_try --engine=$engine -a src u/tree
	expect_ok
	cp -a src c/tree
	[ "$(acls u/tree)" = "$(acls c/tree)" ] ||
		fail "$engine: -a tree differs from cp -a's: $(diff <(acls u/tree) <(acls c/tree))"
	acls u/tree | grep -q 'user:65534' && fail "$engine: -a kept an inherited entry"
	ucp_try --engine=$engine --sync src u/mirror
	expect_ok
	[ "$(acls u/mirror)" = "$(acls c/tree)" ] ||
		fail "$engine: --sync mirror differs from cp -a's: $(diff <(acls u/mirror) <(acls c/tree))"
	# Without -p the directory's default ACL applies, as with cp -r.
	ucp_try --engine=$engine -r src u/r
	expect_ok
	getfacl -cpn u/r/plain | grep -q 'user:65534:rwx' ||
		fail "$engine: -r did not inherit the default ACL"
done

# -a into a directory that exists with ACLs of its own: they go.
rm -rf u c
mkdir -p u/src c/src
for d in u/src c/src; do
	setfacl -m u:65534:rwx "$d"
	setfacl -d -m u:65534:rwx "$d"
done
ucp_try -a src u/
expect_ok
cp -a src c/
[ "$(getfacl -cpn u/src)" = "$(getfacl -cpn c/src)" ] ||
	fail "-a into an existing directory kept its ACLs: $(getfacl -cpn u/src)"

# --no-preserve=mode into a directory with a default ACL: files get the
# default mode less the umask, no ACL, and directories too, keeping the
# default ACL, as cp gives them (they had the ACL's permissions, 0666).
rm -rf u c
mkdir u c
setfacl -d -m u:65534:rwx,g::rwx,o::rwx u c
for engine in uring threads; do
	(umask 022 && ucp_try --engine=$engine -r --no-preserve=mode src "u/$engine" && expect_ok)
	(umask 022 && cp -r --no-preserve=mode src "c/$engine")
	[ "$(acls "u/$engine")" = "$(acls "c/$engine")" ] ||
		fail "$engine: --no-preserve=mode differs from cp's: $(diff <(acls "u/$engine") <(acls "c/$engine"))"
done
