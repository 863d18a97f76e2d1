#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: archive
# Root extracting without -p (the archived owner kept, not the mode) makes
# each file its owner's alone until it has the archived owner and group,
# then gives it the archived mode less the umask, as GNU tar makes it
# private first: made with its final mode (0640) and the group of a user's
# set-group-ID directory, a root-only member could be opened by that user
# while it was written, and read after. The run stops itself before the
# member's data (test hook) and its mode is looked at.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the members must be another user's"
need_hooks
mkdir src
printf 'secret\n' >src/secret
chown 1234:2345 src/secret
chmod 640 src/secret
tar -C src -cf a.tar secret
mkdir dst
chown 65534:65534 dst
chmod 2775 dst
UCP_CMD=()
ucp_cmd
UCP_TEST_STOP_AT=member "${UCP_CMD[@]}" --untar a.tar dst >"$T_OUT" 2>"$T_ERR" &
STOP_PID=$!
wait_stopped "$STOP_PID"
got=$(stat -c '%a %u:%g' dst/secret)
case $got in
*" 1234:2345") ;;
*) [ $((0${got%% *} & 077)) = 0 ] ||
	fail "dst/secret is $got while written: others may open it" ;;
esac
stop_resume
expect_ok "the extraction"
cmp src/secret dst/secret || fail "the data"
[ "$(stat -c '%a %u:%g' dst/secret)" = "640 1234:2345" ] ||
	fail "dst/secret: $(stat -c '%a %u:%g' dst/secret), not 640 1234:2345"
