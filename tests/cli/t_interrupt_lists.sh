#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A signal while ucp reads --exclude-from=- or --files-from=- from a pipe
# that stalls ends the run (128 + the signal): it was lost, the run went
# on with the rules read so far once the pipe closed, and --delete then
# deleted what the missing rules protected, exit 0.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

[ -r /proc/self/syscall ] || skip "no /proc/PID/syscall to see ucp wait on the pipe"
mkdir -p src dst/keep
printf 'x\n' >src/f
printf 'precious\n' >dst/keep/data
mkfifo rules
for opt in --exclude-from=- --files-from=-; do
	# The writer sends one line, then keeps the pipe open until told.
	exec 3<>rules
	printf -- '- zzz\n' >&3
	UCP_CMD=()
	ucp_cmd
	env --default-signal=INT,TERM,HUP,QUIT "${UCP_CMD[@]}" --sync --delete "$opt" src dst \
		<rules >"$T_OUT" 2>"$T_ERR" 3>&- &
	pid=$!
	wait_blocked "$pid" 0 0
	kill -s TERM "$pid"
	# (Then the pipe ends: a ucp that lost the signal goes on, and fails.)
	exec 3>&-
	RC=0
	wait "$pid" || RC=$?
	expect_rc 143 "$opt: SIGTERM while the list was read"
	[ -f dst/keep/data ] || fail "$opt: the run went on and deleted"
	[ ! -e dst/f ] || fail "$opt: the run went on and copied"
done
