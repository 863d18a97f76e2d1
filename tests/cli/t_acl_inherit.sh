#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Into a directory with a default ACL, the kernel gives every new entry an
# ACL of its own. -p and -a make the copy's ACLs the source's, none
# included, as cp -p does: a file, a tree (files with and without ACLs of
# their own, a directory with a default ACL), --sync, and a directory
# merged into that had ACLs of its own. Without -p the inherited ACL stays
# on a new file, as with cp -r, and a file replaced keeps its own.
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

# Without -p, a file replaced in such a directory keeps what it had, as cp
# writes into it: an ACL of its own, or none (a temporary made there took
# the default ACL, which let others read the new data of a 0640 file).
rm -rf u c
mkdir u c
setfacl -d -m u:65534:rwx u c
for engine in uring threads; do
	for d in u c; do
		printf 'old\n' >"$d/none.$engine"
		setfacl -b "$d/none.$engine"
		chmod 640 "$d/none.$engine"
		printf 'old\n' >"$d/own.$engine"
		setfacl -m u:1:r "$d/own.$engine"
	done
	ucp_try --engine=$engine src/plain "u/none.$engine"
	expect_ok
	ucp_try --engine=$engine src/plain "u/own.$engine"
	expect_ok
	cp src/plain "c/none.$engine"
	cp src/plain "c/own.$engine"
	for f in none own; do
		[ "$(getfacl -cpn "u/$f.$engine")" = "$(getfacl -cpn "c/$f.$engine")" ] ||
			fail "$engine: replaced file ($f) has another ACL than cp's: $(getfacl -cpn "u/$f.$engine")"
		cmp -s src/plain "u/$f.$engine" || fail "$engine: $f was not replaced"
	done
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
