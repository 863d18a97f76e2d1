#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A hard link that cannot be made is named with what it was to be a link
# to, as cp names both: a name of a group to the group's copy (-a), and -l's
# link to its source. It said "cannot create hard link 'X'" alone. A test
# hook fails the link (UCP_FAULT). Debug builds.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

mkdir src
printf 'data\n' >src/a
ln src/a src/b
UCP_FAULT=link:1:EXDEV ucp_try -j1 -a src dst
expect_rc 1
# (Which name is copied and which linked is the walk's order.)
grep -qx "ucp: cannot create hard link 'dst/[ab]' to 'dst/[ab]': Invalid cross-device link" "$T_ERR" ||
	fail "-a: the error does not name both: $(cat "$T_ERR")"

UCP_FAULT=link:1:EXDEV ucp_try -l src/a la
expect_rc 1
expect_err_line "ucp: cannot create hard link 'la' to 'src/a': Invalid cross-device link"
assert_absent la

UCP_FAULT=link:1:EXDEV ucp_try --progress=json -l src/a la
expect_rc 1
grep -q '"op":"link","path":"la","path2":"src/a","errno":18,' "$T_ERR" ||
	fail "JSON: the error has not both paths: $(cat "$T_ERR")"
