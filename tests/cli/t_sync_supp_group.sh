#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As a user, --sync puts back the group of a mirror's file when it is one
# of the user's supplementary groups (only the user's own group was
# looked at: the mirror kept the wrong group for good), as rsync -a. Root
# (to make the user and the file's group).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "a user with a supplementary group is made with setpriv"
unpriv_setup
UNPRIV=(setpriv --reuid=65534 --regid=65534 --groups=4242)
"${UNPRIV[@]}" true 2>/dev/null || skip "setpriv cannot give a supplementary group"
mkdir src
printf 'a\n' >src/a
unpriv_own src .
chgrp 4242 src/a
ucp_try_unpriv --sync src m
expect_ok
[ "$(stat -c %g m/a)" = 4242 ] || fail "the first run did not give the group"
chgrp 65534 m/a
ucp_try_unpriv --sync --itemize-changes src m
expect_ok
expect_out_line ".f.....g... a"
[ "$(stat -c %g m/a)" = 4242 ] || fail "the group was not put back: $(stat -c %g m/a)"
