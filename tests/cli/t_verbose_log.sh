#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# -rv >log 2>&1: a message (here the warnings about sockets) never lands
# in the middle of a -v line, as cp flushes stdout before each message.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed (makes the sockets)"
mkdir src
(
	cd src
	seq -f 'file_with_a_fairly_long_name_%g' 1 3000 | xargs touch
	python3 -c 'import socket
for i in range(200): socket.socket(socket.AF_UNIX).bind("sock_%d" % i)'
)
local_ucp() {
	local -a UCP_CMD
	ucp_cmd
	"${UCP_CMD[@]}" "$@"
}
RC=0
local_ucp -rv src dst >log 2>&1 || RC=$?
expect_ok
bad=$(grep -cv "^'src.*' -> 'dst.*'\$\|^ucp: warning: skipping socket 'src/sock_[0-9]*'\$" log || true)
[ "$bad" = 0 ] || fail "$bad lines are cut by a message: $(grep -v "^'src.*' -> 'dst.*'\$\|^ucp: warning: skipping socket 'src/sock_[0-9]*'\$" log | head -3)"
[ "$(grep -c "^'src" log)" = 3001 ] || fail "not every -v line is there"

# -rv into a reader that stops at once (| head): the copy goes on and ends
# 0, quietly, whichever write met the closed pipe first (one made before a
# warning, on a worker thread, was said as "write error" with another
# thread's errno, exit 1).
RC=0
local_ucp -rv src dst2 2>err | (exec 0<&-; sleep 1) || true
local_ucp_rc=${PIPESTATUS[0]}
[ "$local_ucp_rc" = 0 ] || fail "-rv | (reader gone) exited $local_ucp_rc: $(cat err)"
grep -q "write error" err && fail "a write error was said for a closed pipe: $(cat err)"
[ "$(find dst2 -type f | wc -l)" = 3000 ] || fail "the copy did not go on to its end"
