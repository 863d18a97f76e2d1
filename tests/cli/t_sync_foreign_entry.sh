#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A user's --sync over a mirror entry of another user's, whose data, mode
# and time are the source's already: its owner is kept silently, as the
# manual says for a user (it was "cannot set permissions", exit 1, every
# run: the mode was set again, which only its owner may, and it was right).
# Root (the entry must be another user's).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the mirror's entry must be another user's"
unpriv_setup
mkdir s d
printf 'same\n' >s/f
chmod 644 s/f
cp -p s/f d/f
touch -r s s
unpriv_own s d
chown 0:0 d/f
ucp_try_unpriv --sync s d
expect_ok
[ "$(stat -c '%U %a' d/f)" = "root 644" ] || fail "d/f is $(stat -c '%U %a' d/f)"
# A mode that is not right yet is still an error: only the owner sets it.
chmod 600 d/f
ucp_try_unpriv --sync s d
expect_rc 1
expect_err_line "ucp: cannot set permissions of 'd/f': Operation not permitted"

# Another user's file in the way of a directory, in a sticky mirror: it
# cannot be removed, and that is what is said (it was "cannot overwrite
# non-directory", errno 0, as if a refusal by design).
mkdir -p s2/sub m2
printf 'n\n' >s2/sub/n
unpriv_own s2
chmod 1777 m2
printf 'x\n' >m2/sub
ucp_try_unpriv --sync s2 m2
expect_rc 1
expect_err_line "ucp: cannot delete 'm2/sub': Operation not permitted"
[ -f m2/sub ] || fail "another user's file was removed from a sticky directory"
