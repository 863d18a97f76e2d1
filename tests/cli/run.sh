#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run the black-box CLI cases tests/cli/t_*.sh against a ucp binary, each in
# a fresh temporary directory, several at once, and print one line per run
# with its wall time, the ten slowest runs, and a closing
# "N passed, N failed, N skipped".
#
# usage: tests/cli/run.sh [--mode MODE | --matrix] [-j N] BINARY [CASE...]
#   --mode default    the binary as it is (auto engine, cached shortcut)
#   --mode uring      adds --engine=uring (every file through the ring, also
#                     those the default copies with syscalls as cached)
#   --mode threads    adds --engine=threads to every ucp invocation
#   --mode noiouring  runs every ucp invocation under tests/helpers/noiouring
#   --matrix          each case in the modes its header asks for (below)
#   -j N              run N cases at once (default: the number of CPUs)
#
# A case's header may say, on a line of its own:
#   # case: once       engine-independent (archives, usage, completions):
#                      run once, in the default mode
#   # case: data       moves data: default, uring and threads (the default)
#   # case: all        also under the seccomp filter (the fallback decision)
# followed by "serial" when the case needs the machine to itself (signals,
# a terminal): serial cases run one at a time after the others.
#
# Environment: UCP_ARGS, UCP_WRAP, EXEC_PREFIX (e.g. "valgrind -q"), UCP_MODE
# (same as --mode), CASE_TIMEOUT (seconds, default 900), UCP_TEST_KEEP=1 keeps
# the temporary directories of failed cases.
set -u

here=$(cd "$(dirname "$0")" && pwd -P)
TOP=$(cd "$here/../.." && pwd -P)
mode=${UCP_MODE:-default}
matrix=0
jobs=$(nproc 2>/dev/null || echo 2)

usage() {
	printf 'usage: %s [--mode default|uring|threads|noiouring | --matrix] [-j N] BINARY [CASE...]\n' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--mode) [ $# -ge 2 ] || usage; mode=$2; shift 2 ;;
	--mode=*) mode=${1#--mode=}; shift ;;
	--matrix) matrix=1; shift ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
case $jobs in '' | *[!0-9]* | 0) usage ;; esac
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

BASE_ARGS=${UCP_ARGS-}
BASE_WRAP=${UCP_WRAP-}
[ -z "$BASE_WRAP" ] || BASE_WRAP=$(absolute_wrap "$BASE_WRAP")
NOIOURING_WRAP=$TOP/tests/helpers/noiouring

# mode_env MODE: set UCP_ARGS and UCP_WRAP for a run in MODE.
mode_env() {
	UCP_ARGS=$BASE_ARGS
	UCP_WRAP=$BASE_WRAP
	case $1 in
	default) ;;
	uring) UCP_ARGS="${UCP_ARGS:+$UCP_ARGS }--engine=uring" ;;
	threads) UCP_ARGS="${UCP_ARGS:+$UCP_ARGS }--engine=threads" ;;
	noiouring) UCP_WRAP=${UCP_WRAP:-$NOIOURING_WRAP} ;;
	esac
}

check_mode() {
	case $1 in
	default | uring | threads) ;;
	noiouring)
		[ -x "$NOIOURING_WRAP" ] || [ -n "$BASE_WRAP" ] || {
			printf 'run.sh: wrapper %s is not built\n' "$NOIOURING_WRAP" >&2
			exit 2
		}
		;;
	*) printf 'run.sh: unknown mode: %s\n' "$1" >&2; exit 2 ;;
	esac
}
[ "$matrix" = 1 ] || check_mode "$mode"
if [ -n "$BASE_WRAP" ]; then
	read -r wrap_bin _ <<<"$BASE_WRAP"
	[ -x "$wrap_bin" ] || { printf 'run.sh: wrapper %s is not built\n' "$wrap_bin" >&2; exit 2; }
fi
export UCP TOP EXEC_PREFIX="${EXEC_PREFIX-}"
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

# case_modes FILE: the modes of FILE under --matrix, then "serial" if so.
case_modes() {
	local kind serial=
	kind=$(sed -n 's/^# case: *//p' "$1" | head -n 1)
	case " $kind " in *" serial "*) serial=serial ;; esac
	case " $kind " in
	*" once "*) echo "default $serial" ;;
	*" all "*) echo "default uring threads noiouring $serial" ;;
	*) echo "default uring threads $serial" ;;
	esac
}

# The runs: "file mode" lines, parallel ones first, then the serial ones.
par=() ser=()
for c in "${cases[@]}"; do
	if [ "$matrix" = 0 ]; then
		if [ -f "$c" ] && grep -q '^# case:.*serial' "$c"; then
			ser+=("$c $mode")
		else
			par+=("$c $mode")
		fi
		continue
	fi
	if [ ! -f "$c" ]; then
		par+=("$c default")
		continue
	fi
	read -r -a ms <<<"$(case_modes "$c")"
	s=0
	[ "${ms[-1]}" != serial ] || { s=1; unset 'ms[-1]'; }
	for m in "${ms[@]}"; do
		if [ "$s" = 1 ]; then ser+=("$c $m"); else par+=("$c $m"); fi
	done
done

tmproot=${TMPDIR:-/tmp}
timeout_s=${CASE_TIMEOUT:-900}
passed=0 failed=0 skipped=0
results=$(mktemp -d "$tmproot/ucp-cli-results.XXXXXX") || exit 2
trap 'rm -rf -- "$results"' EXIT

# Remove a case directory even when the case left unreadable entries.
cleanup_dir() {
	chmod -R u+rwX -- "$1" 2>/dev/null
	rm -rf -- "$1"
}

# run_one INDEX FILE MODE: run one case; leave its log in INDEX.log and
# "status seconds directory" in INDEX.st.
run_one() {
	local i=$1 c=$2 m=$3 dir st=0 t0 t1
	dir=$(mktemp -d "$tmproot/ucp-cli.XXXXXX") || exit 2
	mode_env "$m"
	t0=$(date +%s%N)
	(cd "$dir" && umask 022 && export UCP_ARGS UCP_WRAP UCP_MODE="$m" &&
		exec timeout -k 10 "$timeout_s" bash "$c") \
		</dev/null >"$results/$i.log" 2>&1 || st=$?
	t1=$(date +%s%N)
	[ "$st" != 124 ] || printf 'FAIL: timed out after %ss\n' "$timeout_s" >>"$results/$i.log"
	if [ "$st" != 0 ] && [ "$st" != 77 ] && [ "${UCP_TEST_KEEP-}" = 1 ]; then
		printf '    (kept %s)\n' "$dir" >>"$results/$i.log"
	else
		cleanup_dir "$dir"
	fi
	printf '%s %d.%02d\n' "$st" $(((t1 - t0) / 1000000000)) $(((t1 - t0) / 10000000 % 100)) \
		>"$results/$i.tmp"
	mv -- "$results/$i.tmp" "$results/$i.st"
}

# report INDEX FILE MODE: print the verdict of a finished run.
report() {
	local i=$1 c=$2 m=$3 st secs name reason
	name=$(basename "$c" .sh)
	read -r st secs <"$results/$i.st"
	printf '%s %s %s\n' "$secs" "$name" "$m" >>"$results/times"
	case $st in
	0)
		printf 'PASS %s [%s] %ss\n' "$name" "$m" "$secs"
		passed=$((passed + 1))
		;;
	77)
		reason=$(sed -n 's/^SKIP: //p' "$results/$i.log" | tail -n 1)
		printf 'SKIP %s [%s]: %s\n' "$name" "$m" "${reason:-no reason given}"
		skipped=$((skipped + 1))
		;;
	*)
		printf 'FAIL %s [%s] (status %s) %ss\n' "$name" "$m" "$st" "$secs"
		sed 's/^/    | /' "$results/$i.log" | head -n 60
		failed=$((failed + 1))
		;;
	esac
	rm -f -- "$results/$i.log" "$results/$i.st"
}

printf '== ucp CLI tests: %s (%s%s%s%s, %s at once)\n' "$UCP" \
	"$([ "$matrix" = 1 ] && echo matrix || echo "mode $mode")" \
	"${BASE_ARGS:+, args: $BASE_ARGS}" "${BASE_WRAP:+, wrap: $BASE_WRAP}" \
	"${EXEC_PREFIX:+, prefix: $EXEC_PREFIX}" "$jobs"

# run_all N RUN...: run the "file mode" runs N at a time, reporting each as
# it ends.
idx=0
run_all() {
	local n=$1 r c m i
	local -A pending=()
	shift
	for r in "$@" ""; do
		if [ -n "$r" ]; then
			c=${r% *} m=${r##* }
			idx=$((idx + 1))
			if [ ! -f "$c" ]; then
				printf 'FAIL %s: no such case\n' "$(basename "$c" .sh)"
				failed=$((failed + 1))
				continue
			fi
			run_one "$idx" "$c" "$m" &
			pending[$idx]="$c $m"
		fi
		# Wait for a free slot, or for everything at the end.
		while [ "${#pending[@]}" -ge "$n" ] || { [ -z "$r" ] && [ "${#pending[@]}" -gt 0 ]; }; do
			wait -n 2>/dev/null || true
			for i in "${!pending[@]}"; do
				[ -f "$results/$i.st" ] || continue
				report "$i" "${pending[$i]% *}" "${pending[$i]##* }"
				unset 'pending[$i]'
			done
		done
	done
}

run_all "$jobs" "${par[@]}"
run_all 1 "${ser[@]}"

if [ -s "$results/times" ]; then
	printf -- '-- slowest runs:\n'
	sort -rn "$results/times" | head -n 10 |
		awk '{ printf "   %7.2fs  %s [%s]\n", $1, $2, $3 }'
fi
printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
