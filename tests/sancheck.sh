#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run CLI cases under a run-time checker and fail on any report; used by
# make tsan and make valgrind, which are not part of make check.
#
#   tests/sancheck.sh tsan BINARY CASE...
#       BINARY is built with -fsanitize=thread; each case runs with the
#       default engine and with --engine=threads; tests/tsan.supp holds the
#       suppressions.
#   tests/sancheck.sh valgrind BINARY CASE...
#       each case runs under valgrind's memcheck, leaks included: with
#       --engine=threads, then with the default engine (io_uring where the
#       kernel has it) without the checks of uninitialised values, since
#       memcheck does not see what the kernel writes through the ring.
#
# Reports go to log files, not to the cases' stderr (which the cases
# compare), and are printed at the end: a case that expects a failure
# status still has its reports counted.
set -u
kind=${1-}
bin=${2-}
[ $# -ge 3 ] || {
	printf 'usage: %s tsan|valgrind BINARY CASE...\n' "$0" >&2
	exit 2
}
shift 2
top=$(cd "$(dirname "$0")/.." && pwd -P)
logs=$(mktemp -d "${TMPDIR:-/tmp}/ucp-sancheck.XXXXXX") || exit 2
trap 'rm -rf -- "$logs"' EXIT
status=0

case $kind in
tsan)
	# halt_on_error=0: a race is reported and the run goes on, so that
	# the case's own verdict is not lost; exitcode makes it fail anyway.
	export TSAN_OPTIONS="log_path=$logs/tsan suppressions=$top/tests/tsan.supp halt_on_error=0 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS-}"
	for mode in default threads; do
		"$top/tests/cli/run.sh" --mode "$mode" "$bin" "$@" || status=1
	done
	;;
valgrind)
	command -v valgrind >/dev/null || {
		echo "sancheck: valgrind is not installed" >&2
		exit 2
	}
	vg="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --log-file=$logs/vg.%p"
	EXEC_PREFIX=$vg "$top/tests/cli/run.sh" --mode threads "$bin" "$@" ||
		status=1
	EXEC_PREFIX="$vg --undef-value-errors=no" \
		"$top/tests/cli/run.sh" --mode default "$bin" "$@" || status=1
	;;
*)
	printf 'sancheck: unknown checker: %s\n' "$kind" >&2
	exit 2
	;;
esac

# A report: any TSan log; a valgrind log with an error line ("==PID==",
# not its "--PID--" notes such as an unknown system call).
n=0
for f in "$logs"/*; do
	[ -s "$f" ] || continue
	[ "$kind" = tsan ] || grep -q '^==[0-9]*== ' "$f" || continue
	n=$((n + 1))
	printf '==== %s report %d (%s)\n' "$kind" "$n" "${f##*/}"
	head -n 80 -- "$f"
done
if [ "$n" -gt 0 ]; then
	printf '%s: %d report(s)\n' "$kind" "$n"
	status=1
else
	printf '%s: no reports\n' "$kind"
fi
exit $status
