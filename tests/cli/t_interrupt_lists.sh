#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A signal while ucp reads --exclude-from=- or --files-from=- from a pipe
# that stalls ends the run (128 + the signal): it was lost, the run went
# on with the rules read so far once the pipe closed, and --delete then
# deleted what the missing rules protected, exit 0. Silently, as any
# signal ends a run (it printed a usage error).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

[ -r /proc/self/syscall ] || skip "no /proc/PID/syscall to see ucp wait on the pipe"
mkdir -p src dst/keep
printf 'x\n' >src/f
printf 'precious\n' >dst/keep/data
mkfifo rules
# The pipe ends right after the signal (then its read may see the end
# first), or only once ucp is gone (then the read is cut short).
for end in closed open; do
	for opt in --exclude-from=- --files-from=- --exclude-from=rules; do
		# The writer sends one line (or none: the signal comes before
		# the first), then keeps the pipe open until told.
		exec 3<>rules
		case $opt in
		*=-) printf -- '- zzz\n' >&3 ;;
		esac
		UCP_CMD=()
		ucp_cmd
		env --default-signal=INT,TERM,HUP,QUIT "${UCP_CMD[@]}" --sync --delete "$opt" src dst \
			<rules >"$T_OUT" 2>"$T_ERR" 3>&- &
		pid=$!
		wait_blocked "$pid" 0 0 271 # (its read, or the ppoll before it)
		kill -s TERM "$pid"
		# (A ucp that lost the signal goes on once the pipe ends, and
		# fails; or waits on it for good.)
		[ "$end" = open ] || exec 3>&-
		RC=0
		wait "$pid" || RC=$?
		exec 3>&-
		expect_rc 143 "$opt ($end): SIGTERM while the list was read"
		# Ended as by any signal: no usage error ("cannot read").
		expect_err_empty
		[ -f dst/keep/data ] || fail "$opt ($end): the run went on and deleted"
		[ ! -e dst/f ] || fail "$opt ($end): the run went on and copied"
	done
done
