#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --delete finds what it is to delete gone already (an overlapping run of
# the same job, a user): that is what was asked, no error, exit 0, as
# rsync. It was "cannot delete ...: No such file or directory", exit 1;
# and one entry gone from a directory being emptied left the rest of that
# directory behind.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir src
printf 'a\n' >src/a
ucp_try --sync src dst
expect_ok

# Stopped before the deletions (number 0: before it opens the mirror):
# the doomed file, directory and tree go meanwhile.
mkdir -p dst/old/sub dst/empty
printf 'x\n' >dst/old/x
printf 'y\n' >dst/old/sub/y
printf 'f\n' >dst/file
ucp_cmd
UCP_TEST_STOP_DELETE=0 env --default-signal=INT,TERM,HUP,QUIT \
	"${UCP_CMD[@]}" --sync --delete src dst >"$T_OUT" 2>"$T_ERR" &
STOP_PID=$!
wait_stopped "$STOP_PID"
rm -rf dst/old dst/empty dst/file
stop_resume
expect_ok
expect_err_empty
expect_mirror src dst

# One entry of a directory being emptied goes between two of ucp's
# deletions (strace stops it after its second unlinkat): the rest goes.
command -v strace >/dev/null ||
	skip "strace is not installed (the rest stops ucp between two system calls with it)"
mkdir dst/old
for i in $(seq 1 100); do printf '%s\n' "$i" >"dst/old/f$i"; done
ucp_cmd
# (LeakSanitizer cannot run under ptrace: off for the traced run.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	timeout -k 5 120 strace -f -qq -o strace.log -e trace=unlinkat \
		-e inject=unlinkat:signal=SIGSTOP:when=2 \
		"${UCP_CMD[@]}" --engine=threads -j 1 --sync --delete src dst \
		>"$T_OUT" 2>"$T_ERR" &
tracer=$!
victim=$(traced_stopped "$tracer" strace.log)
[ -n "$victim" ] || { kill "$tracer" 2>/dev/null; fail "ucp was not stopped after its second unlinkat"; }
gone=
for i in $(seq 1 100); do
	if [ -e "dst/old/f$i" ]; then
		gone=f$i
		rm "dst/old/$gone"
		break
	fi
done
kill -CONT "$victim"
RC=0
wait "$tracer" || RC=$?
expect_ok
expect_err_empty
assert_absent dst/old
expect_mirror src dst
