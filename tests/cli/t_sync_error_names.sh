#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync writes each file under a temporary name; when that fails (a
# mirror directory that takes no new name), the message names the file,
# never the temporary: "cannot create regular file 'dst/d/a'", one for a
# changed file, one for a new one; exit 1, the old copy kept.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "chattr +i needs root"
mkdir -p src/d
printf '1\n' >src/d/a
ucp_try --sync src dst
expect_ok
chattr +i dst/d 2>/dev/null || skip "this file system has no immutable flag"
trap 'chattr -i dst/d 2>/dev/null || true' EXIT
printf '22\n' >src/d/a
printf 'n\n' >src/d/new
ucp_try --sync src dst
chattr -i dst/d
expect_rc 1
expect_err_line "ucp: cannot create regular file 'dst/d/a': Operation not permitted"
expect_err_line "ucp: cannot create regular file 'dst/d/new': Operation not permitted"
expect_err_lacks ".ucp-"
[ "$(cat dst/d/a)" = 1 ] || fail "the old copy was not kept"

# A metadata step that fails on the temporary names the file too (a test
# hook fails the first one). Debug builds.
if "$UCP" --version 2>/dev/null | grep -qx 'test hooks: on'; then
	printf '333\n' >src/d/a
	touch -d '+2 min' src/d/a
	UCP_FAULT=meta:1:EIO ucp_try -j1 --sync src dst
	expect_rc 1
	grep -Eq "'dst/d/(a|new)': Input/output error" "$T_ERR" ||
		fail "the failed metadata step names no file: $(cat "$T_ERR")"
	expect_err_lacks ".ucp-"
fi
