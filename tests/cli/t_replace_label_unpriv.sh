#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A user's copy over an existing file of theirs that carries an attribute
# only root may set (a security.* label): the replacement, a new file,
# could not take it over, and it was lost without a word, exit 0, where cp
# writes into the old file and keeps it. The old file is written into, as
# it is where its group cannot be given.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
command -v setfattr >/dev/null && command -v getfattr >/dev/null ||
	skip "setfattr or getfattr is not installed (attr)"
unpriv_setup
mkdir d
printf 'new\n' >src
printf 'old\n' >d/f
setfattr -n security.ucptest -v label d/f 2>/dev/null ||
	skip "this file system takes no security.* attribute from root"
chmod 644 src
unpriv_own d
ino=$(stat -c %i d/f)
ucp_try_unpriv src d/f
expect_ok
[ "$(cat d/f)" = new ] || fail "the file was not written"
[ "$(getfattr --only-values -n security.ucptest d/f 2>/dev/null)" = label ] ||
	fail "the label root gave the old file was lost"
[ "$(stat -c %i d/f)" = "$ino" ] || fail "the file was replaced, not written into"
