#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Extended attributes whose names hold '=', '%', a space or non-ASCII
# bytes survive the archive modes as -a copies them: libarchive writes such
# a name %-encoded, and reads it back raw from GNU tar's key
# (SCHILY.xattr), decoded from its own (LIBARCHIVE.xattr) only. --untar
# decoded nothing: a ucp archive gave each such attribute twice, once
# misnamed, and GNU tar's archives renamed them (user.a=b became
# user.a%3Db), exit 0. Also: --tar writes attributes under GNU tar's keys
# only, so that GNU tar reads its archives without an "unknown extended
# header keyword" warning for every attribute.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null || skip "setfattr not installed (package attr)"
mkdir -p src
printf 'x\n' >src/f
setfattr -n user.probe -v 1 src/f 2>/dev/null || skip "this filesystem has no user xattrs"
setfattr -x user.probe src/f
for n in 'user.a=b' 'user.sp ace' 'user.pct%41' "user.$(printf '\303\251')" user.plain; do
	setfattr -n "$n" -v "v-$n" src/f
done

# Every user attribute of f under DIR, names and values in hex (an ACL
# inherited from the test's directory aside).
attrs() {
	getfattr -d -m '^user\.' -e hex --absolute-names "$1/f" | grep -v '^#' | sort
}
want=$(attrs src)

ucp_try --tar src a.tar
expect_ok
ucp_try --untar -a a.tar x
expect_ok
[ "$(attrs x/src)" = "$want" ] || fail "ucp --tar | ucp --untar: $(attrs x/src)"

if command -v tar >/dev/null && tar --xattrs --version >/dev/null 2>&1; then
	tar --xattrs --xattrs-include='*' -cf t.tar src
	ucp_try --untar -a t.tar y
	expect_ok
	[ "$(attrs y/src)" = "$want" ] || fail "tar -c | ucp --untar: $(attrs y/src)"
	tar -tvf a.tar >/dev/null 2>tar.err || fail "GNU tar cannot list ucp's archive"
	if grep -q 'unknown extended header keyword' tar.err; then
		cat tar.err >&2
		fail "GNU tar warns of ucp's attribute keys"
	fi
fi
if command -v bsdtar >/dev/null; then
	bsdtar -cf b.tar src
	ucp_try --untar -a b.tar z
	expect_ok
	[ "$(attrs z/src)" = "$want" ] || fail "bsdtar -c | ucp --untar: $(attrs z/src)"
fi

# A format that holds no attributes says, once, that it leaves them out
# (a backup with --format=gnutar lost every capability and ACL without a
# word); the archive is made, exit 0. Without attributes, nothing is said.
mkdir -p plain
printf 'p\n' >plain/p
cp src/f src/g
for fmt in gnutar ustar cpio zip; do
	ucp_try --tar --format="$fmt" src "o.$fmt"
	expect_ok
	[ "$(grep -c 'left out of every member' "$T_ERR")" = 1 ] || {
		show_last
		fail "--format=$fmt: the attributes left out not said once"
	}
	ucp_try --tar --format="$fmt" plain "p.$fmt"
	expect_ok
	expect_err_empty
done
