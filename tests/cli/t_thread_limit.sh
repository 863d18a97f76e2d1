#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data serial
# Under a limit on the user's processes (ulimit -u; a container's limit on
# its tasks): with no room for a worker thread the run goes on in the main
# thread, with room for fewer than asked it goes on with those, a warning
# says so; and a request io_uring cannot hand to a kernel worker thread
# (cancelled by the kernel) is done with a syscall instead of failing the
# file. Every file is copied, exit 0.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
command -v prlimit >/dev/null || skip "prlimit not installed"
# The limit counts every task of the user: it must have none running (no
# other case runs beside this one: serial).
! pgrep -u 65534 >/dev/null || skip "processes of uid 65534 are running"
unpriv_setup
for d in 1 2 3; do
	mkdir -p src/d$d
	for f in $(seq 100); do printf '%s\n' "$d$f" >src/d$d/f$f; done
done
head -c 3000000 /dev/urandom >src/big
unpriv_own src

# limited N ARG...: ucp ARG... as the unprivileged user, at most N tasks
# (and NOFILE open files, when set).
limited() {
	local n=$1
	local -a UCP_CMD
	shift
	ucp_cmd
	RC=0
	# (LeakSanitizer's check at exit needs a task of its own, which the
	# limit refuses: sanitizer builds skip it here.)
	# shellcheck disable=SC2086 # (NOFILE: a limit on open files too)
	"${UNPRIV[@]}" prlimit --nproc="$n:$n" ${NOFILE:+--nofile=$NOFILE:$NOFILE} \
		env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"${UCP_CMD[@]}" "$@" >"$T_OUT" 2>"$T_ERR" || RC=$?
}

limited 1 -r src one
expect_ok
expect_err_line "ucp: warning: no worker thread could start (Resource temporarily unavailable); going on in one thread"
cmp_trees src one

limited 2 -r -j 4 src two
expect_ok
expect_err_line "ucp: warning: only 1 of 4 worker threads could start (Resource temporarily unavailable); going on with 1"
cmp_trees src two

limited 2 -j 1 --sync src mirror
expect_ok
expect_err_empty
cmp_trees src mirror
limited 2 -j 1 --sync src mirror
expect_ok
expect_err_empty

# Many operands, copied in batches (a low limit on open files makes them
# small): the warning is said once, not once a batch.
mkdir ops
for f in $(seq 60); do printf '%s\n' "$f" >"ops/f$f"; done
unpriv_own ops
mkdir opsout
unpriv_own opsout
NOFILE=30 limited 1 -j 2 ops/f1 ops/f2 ops/f3 ops/f4 ops/f5 ops/f6 ops/f7 ops/f8 ops/f9 \
	$(seq -f 'ops/f%g' 10 60) opsout
expect_ok
[ "$(grep -c 'no worker thread could start' "$T_ERR")" = 1 ] ||
	{ show_last; fail "the warning was not said once"; }
cmp_trees ops opsout

# --tar too: with no room for its walker, one thread walks, reads and
# writes; with room for the walker alone, the writer reads; for fewer
# workers than asked, those. And a .zst archive whose compression threads
# cannot start is compressed in one. Every member whole, exit 0 (it said
# "cannot write: Resource temporarily unavailable" and "Allocation error",
# exit 1, no archive).
if command -v tar >/dev/null; then
	for n in 1 2 3; do
		limited "$n" --tar -j 4 src "t$n.tar"
		expect_ok
		case $n in
		1) expect_err_line "ucp: warning: no worker thread could start (Resource temporarily unavailable); going on in one thread" ;;
		# (A walker done with a small tree, or a worker that found
		# nothing left, may free its task before the next starts: how
		# many of 4 start is the kernel's timing, fewer than 4 is not.)
		*) grep -Eqx "ucp: warning: (no worker thread could start \(Resource temporarily unavailable\); going on in one thread|only [123] of 4 worker threads could start \(Resource temporarily unavailable\); going on with [123])" "$T_ERR" ||
			{ show_last; fail "--tar, $n tasks: no warning of fewer workers"; } ;;
		esac
		mkdir "x$n"
		tar -xf "t$n.tar" -C "x$n"
		cmp_trees src "x$n/src"
	done
	if tar --zstd --version >/dev/null 2>&1 && command -v zstd >/dev/null; then
		limited 6 --tar -j 4 src t.tar.zst
		expect_ok
		mkdir xz
		tar --zstd -xf t.tar.zst -C xz
		cmp_trees src xz/src
	fi
fi
