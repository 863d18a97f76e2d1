#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# An extended attribute that cannot be written (a test hook fails the
# write with EIO) is an error, exit 1, for --sync and --untar, which keep
# attributes whatever the options (cp -a stays quiet about it, as cp):
# and the next run, without the fault, puts it right. Debug builds.
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
expect_err_line "ucp: cannot preserve extended attributes of 'xs/f': Input/output error"
ucp_try --sync x xs
expect_ok
has_attr xs/f || fail "--sync: the next run did not write the attribute"
expect_mirror x xs

ucp_try --tar x x.tar
expect_ok
UCP_FAULT=xattr:1:EIO ucp_try --untar x.tar xo
expect_rc 1
expect_err_line "ucp: cannot preserve extended attributes of 'x/f': Input/output error"
ucp_try --untar x.tar xo
expect_ok
has_attr xo/x/f || fail "--untar: the next run did not write the attribute"

# cp -a: quiet, as cp -a is about attributes.
UCP_FAULT=xattr:1:EIO ucp_try -a x xa
expect_ok
