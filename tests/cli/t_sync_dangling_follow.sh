#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync -L --delete: a source link whose target is gone (a target not
# mounted) has not vanished: an error, exit 1, and its mirrored data is not
# deleted, as rsync -L says "symlink has no referent" and skips deletions
# (ucp took it for vanished: exit 24, and the mirror's copy deleted).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src tgt/data
printf 'important\n' >tgt/data/file
ln -s ../tgt/data src/data
printf 'a\n' >src/a
ucp_try --sync -L --delete src/ bk
expect_ok
[ "$(cat bk/data/file)" = important ] || fail "the link's target was not mirrored"
mv tgt tgt.away
ucp_try --sync -L --delete src/ bk
expect_rc 1
expect_err_line "ucp: cannot stat 'src/data': No such file or directory"
[ "$(cat bk/data/file 2>/dev/null)" = important ] || fail "the mirrored data of a dangling link was deleted"
