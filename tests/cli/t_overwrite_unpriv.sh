#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A user overwrites files as cp would (cp writes into them):
# - a file of another user that it may write, in a sticky directory: the
#   data is written, the owner stays (ucp rewrites it in place);
# - its own file of a group it is not in: the group stays;
# - its own read-only file: "Permission denied", exit 1, the file kept,
#   without -f; -f replaces it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
unpriv_setup

mkdir -m 1777 sticky
printf 'old\n' >sticky/theirs
chown 1234:1234 sticky/theirs
chmod 666 sticky/theirs
printf 'new\n' >src
chmod 644 src
mkdir -m 777 mine
printf 'old\n' >mine/grp
chown 65534:100 mine/grp
chmod 640 mine/grp
printf 'old\n' >mine/ro
chown 65534:65534 mine/ro
chmod 444 mine/ro

ucp_try_unpriv src sticky/theirs
expect_ok
[ "$(cat sticky/theirs)" = new ] || fail "the other user's file was not written"
[ "$(stat -c %u:%g sticky/theirs)" = 1234:1234 ] ||
	fail "the other user's file changed owner: $(stat -c %u:%g sticky/theirs)"
assert_no_tmp sticky

ucp_try_unpriv src mine/grp
expect_ok
[ "$(cat mine/grp)" = new ] || fail "the file was not written"
[ "$(stat -c '%U %g %a' mine/grp)" = "nobody 100 640" ] ||
	fail "the group or mode changed: $(stat -c '%U %g %a' mine/grp)"

ucp_try_unpriv src mine/ro
expect_rc 1 "a read-only file without -f"
expect_err_line "ucp: cannot create regular file 'mine/ro': Permission denied"
[ "$(cat mine/ro)" = old ] || fail "the read-only file was replaced without -f"
ucp_try_unpriv -f src mine/ro
expect_ok
[ "$(cat mine/ro)" = new ] || fail "-f did not replace the read-only file"
assert_no_tmp mine
