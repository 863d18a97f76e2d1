#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync mends the attributes of a mirror's file whose data is the
# source's (owner, mode, times) on the file it compared, through a
# descriptor of it: a file put in its place meanwhile (a hard link to a
# file outside the mirror, which a user who owns the mirror's directory
# may make to any file of root's he may read and write) is left alone and
# said, and the next run replaces the name. Root's mirror chowned and
# chmodded whatever had the name then, by name: a root file outside the
# mirror became the user's, or set-UID root with the user's program in it.
# The run stops itself before the mending (test hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the source's owner must be another user"
need_hooks
mkdir src outside
printf 'data\n' >src/f
printf 'data\n' >src/g
ucp_try --sync src/ m
expect_ok "the first mirror"
# Only attributes change: the owner, and the mode, to set-UID.
chown 1234:1234 src/f src/g
chmod 4755 src/f src/g
printf 'root only\n' >outside/file
chmod 600 outside/file
touch -d '2001-01-01' outside/file
before=$(stat -c '%u:%g %a %Y' outside/file)

UCP_CMD=()
ucp_cmd
UCP_TEST_STOP_AT=settle "${UCP_CMD[@]}" --sync src/ m >"$T_OUT" 2>"$T_ERR" &
STOP_PID=$!
wait_stopped "$STOP_PID"
# Both names, whichever is mended first: links to the file outside (the
# other may be compared after, and then replaced: the file outside keeps
# its bytes and attributes whatever comes first).
for f in f g; do
	rm m/$f
	ln outside/file m/$f
done
stop_resume
expect_rc 1 "mirror files replaced before their attributes were mended"
expect_err_has "as it was replaced while being copied"
after=$(stat -c '%u:%g %a %Y' outside/file)
[ "$after" = "$before" ] ||
	fail "the file outside the mirror was changed: $before -> $after"
[ "$(cat outside/file)" = "root only" ] || fail "the file outside was written"

ucp_try --sync src/ m
expect_ok "the next run"
for f in f g; do
	cmp src/$f m/$f || fail "m/$f is not the source's"
	[ "$(stat -c '%u %a %h' m/$f)" = "1234 4755 1" ] ||
		fail "m/$f: $(stat -c '%u %a %h' m/$f)"
done
[ "$(stat -c '%u:%g %a %Y' outside/file)" = "$before" ] ||
	fail "the next run changed the file outside"
