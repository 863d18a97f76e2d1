#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As a user, -r into an existing directory that may be searched and
# written but not read (a drop box, 0733, another's) puts the files in
# it, as cp -r does ("cannot open directory ... Permission denied" and
# nothing copied, exit 1). Root (the box is root's).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the drop box must be another user's"
unpriv_setup
mkdir -p src/proj/incoming dst/proj/incoming
printf 'report\n' >src/proj/incoming/r.txt
unpriv_own src
chmod 777 dst/proj
chmod 733 dst/proj/incoming
ucp_try_unpriv -r src/proj dst/
expect_ok
[ "$(cat dst/proj/incoming/r.txt)" = report ] || fail "the file did not reach the drop box"

# The drop box as the copy's own top directory, too.
mkdir -p out/src
chmod 733 out/src
chmod 777 out
ucp_try_unpriv -r src/proj/incoming/. out/src
expect_ok
[ "$(cat out/src/r.txt)" = report ] || fail "the file did not reach the top drop box"

# A numbered backup where the numbers there cannot be listed: refused, and
# the older backup kept (it took the name .~1~ over it).
printf 'current\n' >dst/proj/incoming/r.txt
printf 'oldest\n' >dst/proj/incoming/r.txt.~1~
chown 65534:65534 dst/proj/incoming/r.txt dst/proj/incoming/r.txt.~1~
ucp_try_unpriv -r --backup=numbered src/proj dst/
expect_rc 1
[ "$(cat dst/proj/incoming/r.txt.~1~)" = oldest ] || fail "the oldest backup was overwritten"
[ "$(cat dst/proj/incoming/r.txt)" = current ] || fail "the file was replaced without its backup"
