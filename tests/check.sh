#!/bin/bash
# SPDX-License-Identifier: MIT
# Run every test layer: unit tests, then the CLI suite with the default
# engine, with --engine=uring (no shortcut around the ring), with
# --engine=threads, and under a seccomp filter that blocks
# io_uring (the automatic fallback). Ends with one total line
# 'N passed, N failed, N skipped'.
#   tests/check.sh UCP_BINARY UNIT_BINARY...
set -u
ucp=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

run() {
	"$@" 2>&1 | tee -a "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}

run tests/unit/run.sh "$@"
run tests/cli/run.sh --mode default "$ucp"
run tests/cli/run.sh --mode uring "$ucp"
run tests/cli/run.sh --mode threads "$ucp"
run tests/cli/run.sh --mode noiouring "$ucp"

awk '/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {
	p += $1; f += $3; s += $5 }
     END { printf "total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit $status
