#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A read or write that keeps failing with EINTR (a file system that never
# lets it through) is retried, but a signal still ends the run, 143 and
# no temporary left: the retry loops of both engines spun on, deaf to
# SIGTERM (the ring's reads stopped; its writes and the syscalls' reads
# and writes did not).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir -p src
mk_file src/big $((4 << 20))
mk_file src/small 1000

for engine in uring threads; do
	for spec in read:3+:EINTR write:3+:EINTR; do
		rm -rf dst
		ucp_cmd
		UCP_FAULT=$spec "${UCP_CMD[@]}" --engine="$engine" -r --reflink=never src dst \
			>"$T_OUT" 2>"$T_ERR" &
		pid=$!
		# (Its copy of big is made before the failing calls.)
		until [ -e dst/big ] || [ -n "$(find dst -name '.ucp-*' 2>/dev/null)" ]; do
			case $(proc_state "$pid") in
			Z | X | gone) fail "$engine $spec: ucp ended before the signal" ;;
			esac
			sleep 0.05
		done
		kill -s TERM "$pid"
		# (A guard against the spin only, not a timing: 60 s.)
		ended=false
		for _ in $(seq 600); do
			case $(proc_state "$pid") in
			Z | X | gone)
				ended=true
				break
				;;
			esac
			sleep 0.1
		done
		if [ "$ended" = false ]; then
			kill -s KILL "$pid" 2>/dev/null || true
			fail "$engine $spec: still running a minute after SIGTERM"
		fi
		RC=0
		wait "$pid" || RC=$?
		expect_rc 143 "$engine $spec, SIGTERM"
		assert_no_tmp dst
		cmp_subset src dst
	done
done
