#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# An attribute changed on the source is mirrored also where the copy was
# hard-linked since (a backup rotation by cp -al): the link moved the
# copy's change time past the source's change, which hid it for good.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null || skip "setfattr is not installed (attr)"
mkdir src
printf 's\n' >src/f
setfattr -n user.k -v old src/f 2>/dev/null || skip "this file system has no user attributes"
ucp_try --sync src d0
expect_ok
setfattr -n user.k -v new src/f
touch -r src/f src/f # (the source's change time is now; the copy's comes next)
cp -al d0 d1
ucp_try --sync --itemize-changes src d0
expect_ok
expect_out_line ".f........x f"
[ "$(getfattr --only-values -n user.k d0/f)" = new ] || fail "the attribute was not mirrored"
