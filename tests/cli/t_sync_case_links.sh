#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# On a file system that tells case apart, a mirror's name that differs
# from a source name in case only is an entry of its own: --delete removes
# it, also where it is a hard link to that name's copy (both spellings
# reach one file, but the listing holds both). See t_sync_case_rename for
# a file system that does not tell case apart.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/docs
echo r >src/readme
echo d >src/docs/f
ucp_try --sync --delete src m
expect_ok "first sync"
ln m/readme m/README
mkdir m/Docs
echo extra >m/Docs/f
ucp_try --sync --delete --itemize-changes src m
expect_ok "sync with extraneous names differing in case"
grep -q 'deleting *README$' "$T_OUT" || fail "the extraneous link README was kept: $(cat "$T_OUT")"
grep -q 'deleting *Docs/$' "$T_OUT" || fail "the extraneous directory Docs was kept: $(cat "$T_OUT")"
[ ! -e m/README ] && [ ! -e m/Docs ] || fail "extraneous names are still there"
[ "$(cat m/readme)" = r ] && [ "$(cat m/docs/f)" = d ] || fail "the copies were harmed"
