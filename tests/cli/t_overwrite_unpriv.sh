#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A user overwrites files as cp would (cp writes into them):
# - a file of another user that it may write, in a sticky directory: the
#   data is written, the owner stays (ucp rewrites it in place);
# - its own file of a group it is not in: the group stays;
# - its own read-only file: "Permission denied", exit 1, the file kept,
#   without -f; -f replaces it with a new file of the source's mode.
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
# (A new file, as cp -f makes one: the source's mode, not the old 444.)
[ "$(stat -c %a mine/ro)" = 644 ] || fail "-f kept the read-only mode: $(stat -c %a mine/ro)"
assert_no_tmp mine

# What makes cp unlink the old file first makes ucp replace it, whoever
# owns it: a backup keeps the old data (of another user's file too), and
# -a parts a file with other hard links. -f replaces a read-only file of
# another user's, -b one of the user's own.
printf 'old\n' >sticky/theirs
chmod 666 sticky/theirs
mkdir -m 777 rep
printf 'old\n' >rep/b
chmod 666 rep/b
ucp_try_unpriv -b src rep/b
expect_ok
[ "$(cat rep/b)" = new ] && [ "$(cat rep/b~)" = old ] || fail "-b onto another user's file: no backup"
printf 'old\n' >rep/h
chmod 666 rep/h
ln rep/h rep/h2
ucp_try_unpriv -a src rep/h
expect_ok
[ "$(cat rep/h2)" = old ] || fail "-a wrote into the other hard link of another user's file"
printf 'old\n' >rep/ro
chmod 444 rep/ro
ucp_try_unpriv -f src rep/ro
expect_ok
[ "$(cat rep/ro)" = new ] || fail "-f did not replace another user's read-only file"
printf 'old\n' >rep/own_ro
chown 65534:65534 rep/own_ro
chmod 444 rep/own_ro
ucp_try_unpriv -b src rep/own_ro
expect_ok
[ "$(cat rep/own_ro~)" = old ] && [ "$(cat rep/own_ro)" = new ] || fail "-b onto a read-only file failed"

# -p onto another user's file in place (a sticky directory): the owner
# cannot be set, and the message says so, not a failed attribute removal.
printf 'old\n' >sticky/p
chmod 666 sticky/p
ucp_try_unpriv -p src sticky/p
expect_rc 1
expect_err_lacks "extended attributes"
[ "$(cat sticky/p)" = new ] || fail "-p: the data was not written"

# -f onto a symbolic link to a file the user may not write: the link is
# replaced by a new file, as cp -f does, and the file it led to is left.
mkdir -m 777 fl
printf 'orig\n' >fl/target
chmod 444 fl/target
ln -s target fl/lnk
ucp_try_unpriv -f src fl/lnk
expect_ok
[ ! -L fl/lnk ] && [ "$(cat fl/lnk)" = new ] || fail "-f did not replace the link"
[ "$(cat fl/target)" = orig ] && [ "$(stat -c '%U %a' fl/target)" = "root 444" ] ||
	fail "-f replaced the file the link led to: $(stat -c '%U %a' fl/target)"
