#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the black-box CLI cases tests/cli/t_*.sh against a ucp binary, each in
# a fresh temporary directory, and print a closing "N passed, N failed, N skipped".
#
# usage: tests/cli/run.sh [--mode default|uring|threads|noiouring] BINARY [CASE...]
#   --mode uring      adds --engine=uring (every file through the ring, also
#                     those the default copies with syscalls as cached)
#   --mode threads    adds --engine=threads to every ucp invocation
#   --mode noiouring  runs every ucp invocation under tests/helpers/noiouring
# Environment: UCP_ARGS, UCP_WRAP, EXEC_PREFIX (e.g. "valgrind -q"), UCP_MODE
# (same as --mode), CASE_TIMEOUT (seconds, default 900), UCP_TEST_KEEP=1 keeps
# the temporary directories of failed cases.
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
TOP=$(cd "$here/../.." && pwd -P)
mode=${UCP_MODE:-default}

usage() {
	printf 'usage: %s [--mode default|uring|threads|noiouring] BINARY [CASE...]\n' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--mode) [ $# -ge 2 ] || usage; mode=$2; shift 2 ;;
	--mode=*) mode=${1#--mode=}; shift ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
bin=$1
shift

case $bin in
*/*) ;;
*) bin=$(command -v -- "$bin") || { printf 'run.sh: %s: not found\n' "$1" >&2; exit 2; } ;;
esac
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
	printf 'run.sh: %s: not an executable file\n' "$bin" >&2
	exit 2
fi
UCP=$(cd "$(dirname "$bin")" && pwd -P)/$(basename "$bin")

# A relative wrapper is taken from the repository root.
absolute_wrap() {
	local first rest
	read -r first rest <<<"$1"
	case $first in
	/* | '') ;;
	*/*) first=$TOP/$first ;;
	esac
	printf '%s%s' "$first" "${rest:+ $rest}"
}

UCP_ARGS=${UCP_ARGS-}
UCP_WRAP=${UCP_WRAP-}
case $mode in
default) ;;
uring) UCP_ARGS="${UCP_ARGS:+$UCP_ARGS }--engine=uring" ;;
threads) UCP_ARGS="${UCP_ARGS:+$UCP_ARGS }--engine=threads" ;;
noiouring) UCP_WRAP=${UCP_WRAP:-tests/helpers/noiouring} ;;
*) printf 'run.sh: unknown mode: %s\n' "$mode" >&2; exit 2 ;;
esac
[ -z "$UCP_WRAP" ] || UCP_WRAP=$(absolute_wrap "$UCP_WRAP")
if [ -n "$UCP_WRAP" ]; then
	read -r wrap_bin _ <<<"$UCP_WRAP"
	[ -x "$wrap_bin" ] || { printf 'run.sh: wrapper %s is not built\n' "$wrap_bin" >&2; exit 2; }
fi
export UCP TOP UCP_ARGS UCP_WRAP EXEC_PREFIX="${EXEC_PREFIX-}"
export LC_ALL=C TZ=UTC
unset UCP_ENGINE POSIXLY_CORRECT

cases=()
if [ $# -gt 0 ]; then
	for c in "$@"; do
		c=${c##*/}
		c=${c%.sh}
		cases+=("$here/$c.sh")
	done
else
	for c in "$here"/t_*.sh; do
		[ -e "$c" ] && cases+=("$c")
	done
fi

tmproot=${TMPDIR:-/tmp}
timeout_s=${CASE_TIMEOUT:-900}
passed=0 failed=0 skipped=0

# Remove a case directory even when the case left unreadable entries.
cleanup_dir() {
	chmod -R u+rwX -- "$1" 2>/dev/null
	rm -rf -- "$1"
}

printf '== ucp CLI tests: %s (mode %s%s%s%s)\n' "$UCP" "$mode" \
	"${UCP_ARGS:+, args: $UCP_ARGS}" "${UCP_WRAP:+, wrap: $UCP_WRAP}" \
	"${EXEC_PREFIX:+, prefix: $EXEC_PREFIX}"

for c in "${cases[@]}"; do
	name=$(basename "$c" .sh)
	if [ ! -f "$c" ]; then
		printf 'FAIL %s: no such case\n' "$name"
		failed=$((failed + 1))
		continue
	fi
	dir=$(mktemp -d "$tmproot/ucp-cli.XXXXXX") || exit 2
	log=$(mktemp "$tmproot/ucp-cli-log.XXXXXX") || exit 2
	st=0
	(cd "$dir" && umask 022 && exec timeout -k 10 "$timeout_s" bash "$c") \
		</dev/null >"$log" 2>&1 || st=$?
	case $st in
	0)
		printf 'PASS %s\n' "$name"
		passed=$((passed + 1))
		;;
	77)
		reason=$(sed -n 's/^SKIP: //p' "$log" | tail -n 1)
		printf 'SKIP %s: %s\n' "$name" "${reason:-no reason given}"
		skipped=$((skipped + 1))
		;;
	*)
		[ "$st" != 124 ] || printf 'FAIL: timed out after %ss\n' "$timeout_s" >>"$log"
		printf 'FAIL %s (status %s)\n' "$name" "$st"
		sed 's/^/    | /' "$log" | head -n 60
		failed=$((failed + 1))
		;;
	esac
	rm -f -- "$log"
	if [ "$st" != 0 ] && [ "$st" != 77 ] && [ "${UCP_TEST_KEEP-}" = 1 ]; then
		printf '    (kept %s)\n' "$dir"
	else
		cleanup_dir "$dir"
	fi
done

printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
