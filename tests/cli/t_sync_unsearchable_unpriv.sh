#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync run by a user, whose mirror holds a directory of theirs that may
# be read but not searched (0600, mirrored so from a source that was): its
# entries were listed and could not be looked at ("cannot stat", exit 1,
# --delete held back), its mode mended only at the end, so that only the
# next run got through. It is entered as a locked one is, in one run, as
# rsync enters it, and given the source's mode at the end.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
unpriv_setup
mkdir -p src/d
printf 'v1\n' >src/d/f
chmod 600 src/d
unpriv_own src
ucp_try_unpriv --sync src m
expect_rc 1 "a source directory that cannot be searched"
[ "$(stat -c %a m/d)" = 600 ] || fail "the mirror's directory is not 0600: $(stat -c %a m/d)"
chmod 700 src/d
printf 'v2\n' >src/d/f
printf 'new\n' >src/d/g
printf 'stale\n' >m/stale
unpriv_own src m
ucp_try_unpriv --sync --delete src m
expect_ok
expect_err_empty
[ "$(cat m/d/f)" = v2 ] && [ "$(cat m/d/g)" = new ] || fail "the directory was not mirrored in one run"
assert_absent m/stale
[ "$(stat -c %a m/d)" = 700 ] || fail "the directory's mode is not the source's: $(stat -c %a m/d)"
