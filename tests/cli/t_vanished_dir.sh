#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A source directory removed while the copy runs (ucp is stopped after 5
# files, the 2,000-file subtree removed, then it goes on) is reported as
# vanished: exit 24, as for vanished files, whether ucp was about to open
# it, was reading it or was opening its files; with --sync --delete the
# deletions still happen.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/z/y
mk_many src/a 2000
mk_many src/z/y/x 2000
cp -a src orig

stop_start 5 -r src dst
rm -rf src/z
stop_resume
expect_rc 24 "a directory removed during the copy"
expect_err_has "No such file or directory"
cmp_trees src/a dst/a

# --sync --delete into a mirror whose files must all be updated: the vanished
# subtree is no error that stops the deletions.
rm -rf src
cp -a orig src
ucp_try --sync src mirror
expect_ok
printf 'extra\n' >mirror/extra
for f in src/a/g*/f* src/z/y/x/g*/f*; do printf 'changed\n' >>"$f"; done
stop_start 5 --sync --delete src mirror
rm -rf src/z
stop_resume
expect_rc 24 "--sync with a directory removed during the run"
assert_absent mirror/extra
cmp_trees src/a mirror/a
