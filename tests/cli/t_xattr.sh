#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -a and --preserve=xattr keep user xattrs and POSIX ACLs on files and
# directories (also read-only ones, also large values), as cp -a does;
# without them nothing is copied, and without the mode no ACL.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null || skip "setfattr not installed (package attr)"
command -v getfacl >/dev/null || skip "getfacl not installed (package acl)"
mkdir -p src/d/ro
printf 'x\n' >src/f
printf 'y\n' >src/d/ro/g
if ! setfattr -n user.probe -v 1 src/f 2>/dev/null; then
	skip "this filesystem has no user xattrs"
fi
setfattr -n user.color -v blue src/f
setfattr -n user.big -v "0x$(head -c 3000 /dev/urandom | od -An -tx1 | tr -d ' \n')" src/f
setfattr -n user.dir -v yes src/d
setfattr -n user.inner -v 42 src/d/ro/g
setfacl -m u:65534:r-x src/f 2>/dev/null || skip "no ACL support here"
setfacl -d -m u:65534:rwx src/d
chmod 555 src/d/ro
setfattr -n user.ro -v locked src/d/ro

# Every xattr (values in hex) and ACL of every entry.
describe() {
	(
		cd "$1"
		find . -print0 | sort -z | while IFS= read -r -d '' p; do
			printf '== %s\n' "$p"
			getfattr -h -d -m - -e hex "$p" 2>/dev/null | grep -v '^#' | sort
			getfacl -cp "$p" 2>/dev/null | sort
		done
	)
}

# (Without the mode, no ACL either: an ACL carries permissions, and cp
# leaves it out then.)
for opts in "-a" "-r --preserve=mode,xattr" "-a --no-preserve=mode" \
	"-r --preserve=xattr"; do
	rm -rf dst ref
	# shellcheck disable=SC2086 # two words of options on purpose
	ucp_try $opts src dst
	expect_ok
	# shellcheck disable=SC2086
	cp $opts src ref
	describe ref >want
	describe dst >got
	diff -u want got >&2 || fail "ucp $opts differs from cp $opts (- cp, + ucp)"
done
grep -q 'user.big' got || fail "the large xattr is missing"

ucp_try -r src plain
expect_ok
if getfattr -d plain/f 2>/dev/null | grep -q user.color; then
	fail "-r without -a copied xattrs"
fi
