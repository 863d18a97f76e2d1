#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As a user, --untar into directories that may be searched and written
# but not read (a drop box, 0733, another's; the extraction directory or
# one below it) extracts into them, as tar -x does (it said "cannot open
# directory ... Permission denied", the member not extracted).
# Root (the boxes are root's).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the drop box must be another user's"
unpriv_setup
mkdir -p src/proj/incoming
printf 'report\n' >src/proj/incoming/r.txt
cd src
ucp_try --tar proj ../a.tar
expect_ok
cd ..
chmod 644 a.tar

# A box below the extraction directory.
mkdir -p out/proj/incoming
chmod 777 out out/proj
chmod 733 out/proj/incoming
ucp_try_unpriv --untar a.tar out
# (The existing directories are root's: their times cannot be given,
# errors as with tar.)
expect_rc 1
expect_err_exact "ucp: cannot preserve times of 'proj/incoming': Operation not permitted" \
	"ucp: cannot preserve times of 'proj': Operation not permitted"
[ "$(cat out/proj/incoming/r.txt)" = report ] || fail "the member did not reach the drop box"
assert_mode out/proj/incoming 733

# The extraction directory itself.
mkdir box
chmod 733 box
ucp_try_unpriv --untar a.tar box
expect_ok
[ "$(cat box/proj/incoming/r.txt)" = report ] || fail "the member did not reach the top drop box"
