#!/bin/bash
# SPDX-License-Identifier: MIT
# Run every test layer: the unit tests, then the CLI suite as a matrix:
# each case in the modes it declares (tests/cli/run.sh: default engine,
# --engine=uring, --engine=threads, io_uring blocked by seccomp), several
# cases at once. With --quick, the CLI suite runs once, with
# --engine=uring (make distcheck). Ends with one total line
# 'total: N passed, N failed, N skipped'.
#   tests/check.sh [--quick] UCP_BINARY UNIT_BINARY...
set -u
cli=(--matrix)
if [ "${1-}" = --quick ]; then
	cli=(--mode uring)
	shift
fi
ucp=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

run() {
	"$@" 2>&1 | tee -a "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}

start=$(date +%s)
run tests/unit/run.sh "$@"
run tests/cli/run.sh "${cli[@]}" ${CHECK_JOBS:+-j "$CHECK_JOBS"} "$ucp"

awk '/^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {
	p += $1; f += $3; s += $5 }
     END { printf "total: %d passed, %d failed, %d skipped", p, f, s }' "$log"
printf ' in %ss\n' "$(($(date +%s) - start))"
exit $status
