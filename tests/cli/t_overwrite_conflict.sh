#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A file may not replace a directory, nor a directory a file: exit 1 with the
# message, the rest of the tree still copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/y
printf 'x\n' >src/x
printf 'z\n' >src/z
printf 'in y\n' >src/y/f
mkdir -p dst/src/x
printf 'a file\n' >dst/src/y

ucp_try -r src dst
expect_rc 1
expect_err_line "ucp: cannot overwrite directory 'dst/src/x' with non-directory 'src/x'"
expect_err_line "ucp: cannot overwrite non-directory 'dst/src/y' with directory 'src/y'"
[ -d dst/src/x ] || fail "directory 'dst/src/x' was replaced"
[ "$(cat dst/src/y)" = "a file" ] || fail "file 'dst/src/y' was changed"
assert_same_file src/z dst/src/z
assert_no_tmp dst
