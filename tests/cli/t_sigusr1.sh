#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# SIGUSR1 makes a running copy print one status line on stderr, as dd does,
# even with no progress display; the copy goes on and succeeds.
# shellcheck disable=SC2034 # RC is read by expect_ok (lib.sh)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 3000
mk_file src/big $((32 << 20))

status_re='^ucp: [0-9.]+[BKMGTP]/[0-9.]+[BKMGTP]\+?  [0-9]+/[0-9]+\+? files  [0-9.]+[BKMGTP]/s'

# Stop ucp once it runs, queue the signal, let it go on: the signal is
# handled while the copy is under way, whatever the speed of this machine.
ucp_cmd
for _ in 1 2 3 4; do
	rm -rf dst
	"${UCP_CMD[@]}" -r src dst >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	until exists dst/g0 || ! kill -0 "$pid" 2>/dev/null; do :; done
	if kill -STOP "$pid" 2>/dev/null; then
		# A copy that just ended is a zombie, which takes signals too.
		state=
		until [ "$state" = T ] || [ "$state" = Z ] || [ "$state" = gone ]; do
			state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || echo gone)
		done
		if [ "$state" != T ]; then
			wait "$pid" || true
			continue
		fi
		kill -USR1 "$pid"
		kill -CONT "$pid"
		RC=0
		wait "$pid" || RC=$?
		expect_ok
		cmp_trees src dst
		n=$(grep -cE "$status_re" "$T_ERR" || true)
		[ "$n" = 1 ] || {
			show_last
			fail "expected one status line after SIGUSR1, found $n"
		}
		[ "$(wc -l <"$T_ERR")" = 1 ] || {
			show_last
			fail "stderr holds more than the status line"
		}
		exit 0
	fi
	wait "$pid" || true
done
skip "the copy always finished before SIGUSR1 could be sent"
