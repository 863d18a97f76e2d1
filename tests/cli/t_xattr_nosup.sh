#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A destination that takes no extended attributes (every write of one
# fails with ENOTSUP, as on a ramfs: a test hook here, and a real ramfs as
# root) loses them with a warning, exit 0: --sync and --untar, which keep
# attributes whatever the options, say it once a run, for the first such
# file; --preserve=xattr, which names them, says it for each file, as a
# warning (as cp says it, but cp exits 1); cp -a stays quiet, as cp -a.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
command -v setfattr >/dev/null || skip "setfattr is not installed (attr)"
mkdir x
printf 'a\n' >x/f
printf 'b\n' >x/g
setfattr -n user.k -v v x/f 2>/dev/null || skip "this file system has no user attributes"
setfattr -n user.k -v v x/g
once="extended attributes not kept: the file system does not support them (said for the first such file only)"

# nosup_once: exit 0, the data there, one warning naming one of the files.
nosup_once() {
	expect_ok
	[ "$(grep -c "^ucp: warning: '$1/[fg]': $once\$" "$T_ERR")" = 1 ] &&
		[ "$(wc -l <"$T_ERR")" = 1 ] || {
		show_last
		fail "not one warning for the lost attributes"
	}
}

UCP_FAULT=xattr:1+:ENOTSUP ucp_try --sync x xs
nosup_once xs
cmp -s x/f xs/f && cmp -s x/g xs/g || fail "--sync: the data was not copied"
ucp_try --tar x x.tar
expect_ok
UCP_FAULT=xattr:1+:ENOTSUP ucp_try --untar x.tar xo
nosup_once x
cmp -s x/f xo/x/f || fail "--untar: the data was not extracted"

# The first file that loses them fails otherwise too (its times cannot be
# set): it says that, and the warning is the next one's, not swallowed.
for how in "--sync x xe" "--untar x.tar xu"; do
	# shellcheck disable=SC2086 # split on purpose
	UCP_FAULT=xattr:1+:ENOTSUP,meta:1:EIO ucp_try -j1 $how
	expect_rc 1
	[ "$(grep -c ": Input/output error\$" "$T_ERR")" = 1 ] &&
		[ "$(grep -c "^ucp: warning: '[^']*': $once\$" "$T_ERR")" = 1 ] || {
		show_last
		fail "$how: not one error and one warning"
	}
done

UCP_FAULT=xattr:1+:ENOTSUP ucp_try -r --preserve=xattr x xp
expect_ok
for f in f g; do
	expect_err_line "ucp: warning: cannot preserve extended attributes of 'xp/$f': Operation not supported"
done
UCP_FAULT=xattr:1+:ENOTSUP ucp_try -a x xa
expect_ok
expect_err_empty

# The same on a real file system without user attributes (root mounts it).
[ "$(id -u)" = 0 ] || exit 0
mkdir ram
mount -t ramfs ramfs ram 2>/dev/null || exit 0
trap 'umount ram' EXIT
ucp_try --sync x ram/xs
nosup_once ram/xs
ucp_try --untar x.tar ram/xo
nosup_once x

# A mirror whose data is the source's already, an attribute added to the
# source since: the attributes alone are written, and the warning is said
# there too (it was used up unsaid).
mkdir y
printf 'a\n' >y/f
ucp_try --sync y ys
expect_ok
setfattr -n user.k -v v y/f
UCP_FAULT=xattr:1+:ENOTSUP ucp_try --sync y ys
expect_ok
expect_err_line "ucp: warning: 'ys/f': $once"
