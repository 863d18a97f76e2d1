#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --tar to standard output when that is a terminal is refused (exit 2), as
# tar refuses it: the archive would go to the screen. Redirected, the same
# command writes the archive. --untar and --list from a terminal, likewise.
# On a pseudo-terminal (script(1)).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v script >/dev/null || skip "script(1) is not installed"
script -qfec true /dev/null </dev/null >/dev/null 2>&1 ||
	skip "script(1) cannot open a pseudo-terminal here"

mkdir src
printf 'data\n' >src/f
local_cmd() {
	local -a UCP_CMD
	ucp_cmd
	printf '%q ' "${UCP_CMD[@]}" "$@"
}

RC=0
script -qfec "$(local_cmd --tar src -); echo \"rc=\$?\"" /dev/null </dev/null >cap 2>&1 || RC=$?
[ "$RC" = 0 ] || fail "script(1) failed: $(cat -v cap)"
grep -q 'rc=2' cap || fail "--tar to a terminal did not exit 2: $(cat -v cap)"
grep -q "ucp: refusing to write an archive to a terminal" cap ||
	fail "no refusal named: $(cat -v cap)"
grep -q 'src/f' cap && fail "the archive reached the terminal: $(cat -v cap)"

# The same, standard output redirected: the archive is written.
script -qfec "$(local_cmd --tar src -) >a.tar; echo \"rc=\$?\"" /dev/null </dev/null >cap 2>&1 || true
grep -q 'rc=0' cap || fail "--tar to a redirected stdout failed: $(cat -v cap)"
tar -tf a.tar | grep -qx 'src/f' || fail "the redirected archive lacks src/f"

# --untar and --list from standard input when that is a terminal: refused
# (exit 2), as tar refuses to read an archive from one; they waited for the
# user for ever. Redirected, the same commands read the archive.
for mode in "--untar - out" "--list -"; do
	# shellcheck disable=SC2086 # (two words on purpose)
	script -qfec "$(local_cmd $mode); echo \"rc=\$?\"" /dev/null </dev/null >cap 2>&1 || true
	grep -q 'rc=2' cap || fail "$mode from a terminal did not exit 2: $(cat -v cap)"
	grep -q "ucp: refusing to read an archive from a terminal" cap ||
		fail "$mode: no refusal named: $(cat -v cap)"
done
# shellcheck disable=SC2086
script -qfec "$(local_cmd --list -) <a.tar; echo \"rc=\$?\"" /dev/null </dev/null >cap 2>&1 || true
grep -q 'rc=0' cap || fail "--list from a redirected stdin failed: $(cat -v cap)"
grep -q 'src/f' cap || fail "--list - did not list the archive: $(cat -v cap)"
