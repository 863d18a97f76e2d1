#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An operand copied into an existing directory lands at DIR/basename; a new
# destination for a directory becomes the copy itself.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_sizes src
mkdir dir
printf 'file\n' >f

ucp_try f dir
expect_ok
assert_same_file f dir/f

ucp_try -r src dir
expect_ok
cmp_trees src dir/src

ucp_try -r src new
expect_rc 0 "new destination"
cmp_trees src new
assert_absent new/src

# new exists now, so a second copy goes inside it.
ucp_try -r src new
expect_rc 0 "second copy into the first"
cmp_trees src new/src
