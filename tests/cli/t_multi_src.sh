#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Several sources go into the last operand, which must be a directory.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'a\n' >a
printf 'b\n' >b
mk_sizes d1
mkdir dir dir2

ucp_try a b dir
expect_ok
assert_same_file a dir/a
assert_same_file b dir/b

ucp_try -r a d1 b dir2
expect_rc 0 "files and a directory"
assert_same_file a dir2/a
assert_same_file b dir2/b
cmp_trees d1 dir2/d1

printf 'keep\n' >notadir
ucp_try a b notadir
expect_rc 2 "last operand is a file"
expect_err_line "ucp: target 'notadir' is not a directory"
[ "$(cat notadir)" = keep ] || fail "'notadir' was modified"
# One that cannot be looked at says why, as cp says it, exit 1 (it said
# "is not a directory" of a missing one, and of a directory it could not
# search).
ucp_try a b missing
expect_rc 1 "missing target"
expect_err_line "ucp: target 'missing': No such file or directory"
ucp_try -t missing a
expect_rc 1 "missing -t target"
expect_err_line "ucp: target 'missing': No such file or directory"
assert_absent missing
