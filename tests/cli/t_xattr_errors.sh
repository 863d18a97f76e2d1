#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# An extended attribute that cannot be written (a test hook fails the
# write with EIO) is an error, exit 1, for --sync and --untar, which keep
# attributes whatever the options (cp -a stays quiet about it, as cp):
# and the next run, without the fault, puts it right. The message names
# the attribute, as cp and rsync name it (and JSON's "attr"). Debug builds.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
command -v setfattr >/dev/null && command -v getfattr >/dev/null ||
	skip "setfattr or getfattr is not installed (attr)"
mkdir x
printf 'a\n' >x/f
printf 'b\n' >x/g
setfattr -n user.k -v v x/f 2>/dev/null || skip "this file system has no user attributes"

# has_attr FILE: FILE has user.k = v.
has_attr() { [ "$(getfattr --only-values -n user.k "$1" 2>/dev/null)" = v ]; }

UCP_FAULT=xattr:1:EIO ucp_try --sync x xs
expect_rc 1
expect_err_line "ucp: cannot preserve extended attribute 'user.k' of 'xs/f': Input/output error"
ucp_try --sync x xs
expect_ok
has_attr xs/f || fail "--sync: the next run did not write the attribute"
expect_mirror x xs
setfattr -n user.k -v w x/f
UCP_FAULT=xattr:1:EIO ucp_try --progress=json --sync x xs
expect_rc 1
grep -q '^{"v":2,"type":"error",.*"op":"xattr","path":"xs/f","attr":"user.k","errno":5,' "$T_ERR" ||
	fail "JSON: the error does not name the attribute: $(cat "$T_ERR")"
setfattr -n user.k -v v x/f
ucp_try --sync x xs
expect_ok

ucp_try --tar x x.tar
expect_ok
UCP_FAULT=xattr:1:EIO ucp_try --untar x.tar xo
expect_rc 1
expect_err_line "ucp: cannot preserve extended attribute 'user.k' of 'x/f': Input/output error"
ucp_try --untar x.tar xo
expect_ok
has_attr xo/x/f || fail "--untar: the next run did not write the attribute"

# cp -a: quiet, as cp -a is about attributes.
UCP_FAULT=xattr:1:EIO ucp_try -a x xa
expect_ok

# ENOSPC from an attribute (ext4 refuses a value bigger than its block so)
# is that attribute's error, not a full disk: the run goes on, the file
# stays whole, as with cp, rsync and tar.
mkdir many
for i in $(seq 1 300); do
	printf '%s\n' "$i" >"many/f$i"
	setfattr -n user.k -v v "many/f$i"
done
ucp_try --tar many many.tar
expect_ok
for how in "-r --preserve=xattr many mx" "--sync many ms" "--untar many.tar mu"; do
	# shellcheck disable=SC2086 # split on purpose
	UCP_FAULT=xattr:1:ENOSPC ucp_try $how
	expect_rc 1
	dst=${how##* }
	[ -d "$dst/many" ] && dst=$dst/many
	n=$(find "$dst" -type f | wc -l)
	[ "$n" = 300 ] || fail "$how: $n files of 300 after an attribute's ENOSPC"
	grep -c 'No space left on device' "$T_ERR" | grep -qx 1 ||
		fail "$how: not one error: $(cat "$T_ERR")"
	for i in 1 150 300; do
		[ "$(cat "$dst/f$i")" = "$i" ] || fail "$how: f$i is not whole"
	done
done
