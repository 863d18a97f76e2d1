#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -v prints one 'src' -> 'dst' line per copied entry on stdout (escaped like
# error messages); -q and the default print nothing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/a/b
printf 'x\n' >src/x
printf 'y\n' >src/a/y
printf 'z\n' >src/a/b/z

ucp_try -v -r src dst
expect_ok
cmp_trees src dst
want="'src' -> 'dst'
'src/a' -> 'dst/a'
'src/a/b' -> 'dst/a/b'
'src/a/b/z' -> 'dst/a/b/z'
'src/a/y' -> 'dst/a/y'
'src/x' -> 'dst/x'"
got=$(LC_ALL=C sort "$T_OUT")
[ "$got" = "$want" ] || fail "-v -r printed:
$got
expected (in any order):
$want"

ucp_try -v src/x f
expect_ok
[ "$(cat "$T_OUT")" = "'src/x' -> 'f'" ] || fail "-v file printed: $(cat "$T_OUT")"

mkdir d
ucp_try -v src/x d
expect_ok
[ "$(cat "$T_OUT")" = "'src/x' -> 'd/x'" ] || fail "-v into dir printed: $(cat "$T_OUT")"

printf 'n\n' >"n"$'\n'"l"
ucp_try -v "n"$'\n'"l" g
expect_ok
[ "$(cat "$T_OUT")" = "'n\\nl' -> 'g'" ] || fail "-v newline name printed: $(cat "$T_OUT")"

printf 'q\n' >"it's"
ucp_try -v "it's" h
expect_ok
[ "$(cat "$T_OUT")" = "'it\\'s' -> 'h'" ] || fail "-v quote name printed: $(cat "$T_OUT")"

# A target given with slashes at its end names the copies with one, as cp
# does ('e//s' was printed); --parents too. A path given whole is kept.
mkdir e
ucp_try -v -r src/a/b "it's" e//
expect_ok
# (Files in parallel: any order.)
[ "$(sort "$T_OUT")" = "'it\\'s' -> 'e/it\\'s'
'src/a/b' -> 'e/b'
'src/a/b/z' -> 'e/b/z'" ] || fail "-v into e//: $(cat "$T_OUT")"
ucp_try -v --parents src/x e///
expect_ok
[ "$(cat "$T_OUT")" = "'src' -> 'e/src'
'src/x' -> 'e/src/x'" ] || fail "-v --parents into e///: $(cat "$T_OUT")"
ucp_try -v src/x e//x2
expect_ok
[ "$(cat "$T_OUT")" = "'src/x' -> 'e//x2'" ] || fail "-v to e//x2: $(cat "$T_OUT")"

ucp_try -q -r src dst_q
expect_rc 0 "-q"
expect_out_empty
expect_err_empty
cmp_trees src dst_q

ucp_try -r src dst_plain
expect_ok
expect_out_empty
