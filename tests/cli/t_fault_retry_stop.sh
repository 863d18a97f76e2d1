#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A read, write or copy_file_range that keeps failing with EINTR (a file
# system that never lets it through) is retried, but a signal still ends
# the run, 143 and no temporary left: the retry loops of both engines spun
# on, deaf to SIGTERM (the ring's reads stopped; its writes, the syscalls'
# reads and writes, copy_file_range and --no-cache's calls did not).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
# (One file: the run's first data call is its.)
mkdir -p src
mk_file src/big $((4 << 20))

# SPEC:OPTIONS: the fault, and what takes the copy down its path: read
# and write (--reflink=never), copy_file_range, and --no-cache's reads
# and writes.
for engine in uring threads; do
	for run in read:3+:EINTR:--reflink=never write:3+:EINTR:--reflink=never \
		cfr:1+:EINTR: read:3+:EINTR:--no-cache,--reflink=never \
		write:3+:EINTR:--no-cache,--reflink=never; do
		spec=${run%:*}
		IFS=, read -r -a opts <<<"${run##*:}"
		rm -rf dst
		ucp_cmd
		UCP_FAULT=$spec "${UCP_CMD[@]}" --engine="$engine" "${opts[@]}" -r src dst \
			>"$T_OUT" 2>"$T_ERR" &
		pid=$!
		# (Its copy of big is made before the failing calls.)
		until [ -e dst/big ]; do
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
