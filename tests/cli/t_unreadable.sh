#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# As an unprivileged user, an unreadable file and an unreadable directory in a
# tree are reported by name with exit 1, and everything else is copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
mk_tree src
mkdir src/locked src/open
printf 'hidden\n' >src/locked/inside
printf 'secret\n' >src/secret
printf 'visible\n' >src/open/visible
mk_tree ref
mkdir ref/open
cp src/open/visible ref/open/visible
unpriv_own src ref .
chmod 000 src/secret src/locked

ucp_try_unpriv -r src dst
expect_rc 1
expect_err_line "ucp: cannot open 'src/secret': Permission denied"
expect_err_line "ucp: cannot open directory 'src/locked': Permission denied"
assert_absent dst/secret dst/locked/inside
assert_no_tmp dst
# Everything else arrived: compare against the same tree without the two.
rmdir dst/locked 2>/dev/null || true
cmp_trees src/open dst/open
for p in size_0 size_4097 size_3145745 sub/deeper/deepest/leaf link_rel fifo; do
	assert_present "dst/$p"
done
chmod 700 src/locked src/secret
rm -r src/locked src/secret
cmp_trees src dst
