#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Two --sync runs into the same new destination: run A is stopped in the
# middle (a test hook), run B builds and names the whole mirror, then A
# goes on. Both exit 0, the mirror is exact, its root has the source's
# mtime, and nothing of either run is left behind. A run also leaves the
# temporaries of a run that is still going alone (only a dead run's are
# stray). A DST made by something else during a first run: the error says
# where the copy is left.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 2000
printf 'linked\n' >src/h1
ln src/h1 src/g0/h2
touch -d '2001-02-03 04:05:06' src

stop_start 1 --sync -aH src dst
a=$STOP_PID
# (A keeps writing its stderr here; B's run gets a T_ERR of its own.)
mv "$T_ERR" a.err
# A temporary of A's in the root makes B leave the root's time to A,
# which must set it through its descriptor: the root has a new name then.
planted=$(printf '.ucp-%08x00000099.tmp' "$a")
printf 'x\n' >".dst.ucp-partial/$planted"
ucp_try --sync -aH src dst
expect_ok
assert_present "dst/$planted"
rm "dst/$planted"
stop_resume
[ "$RC" = 0 ] || fail "the stopped run exited $RC after the other named the mirror: $(cat a.err)"
expect_mirror src dst
[ "$(stat -c %Y src)" = "$(stat -c %Y dst)" ] || fail "the root's mtime is not the source's"
[ "$(stat -c %i dst/h1)" = "$(stat -c %i dst/g0/h2)" ] || fail "hard links not kept"
assert_no_tmp dst
for p in .dst.ucp-partial dst.ucp-partial; do assert_absent "$p"; done

# The temporary of a run still going (A, stopped) is not stray; once A is
# gone, the next run removes it.
stop_start 1 --sync -a src other
a=$STOP_PID
tmp=$(printf '.ucp-%08x00000042.tmp' "$a")
printf 'in flight\n' >"dst/$tmp"
ucp_try --sync -a src dst
expect_ok
assert_present "dst/$tmp"
stop_resume
expect_ok
ucp_try --sync -a src dst
expect_ok
assert_absent "dst/$tmp"

# Something else took the name while the run built the mirror: the run
# fails to name its copy, and says where the copy is (a later run, into
# the DST there now, never looks at it again).
stop_start 1 --sync -a src late
mkdir late
printf 'theirs\n' >late/theirs
stop_resume
expect_rc 1
expect_err_line "ucp: cannot rename into 'late': File exists; the copy is left in './.late.ucp-partial'"
expect_mirror src .late.ucp-partial
[ "$(cat late/theirs)" = theirs ] || fail "what took the name was changed"

# Two first runs into one new mirror, when the other names it first:
# - A stopped before its deletions (test hook), with what an interrupted
#   earlier run left in the partial tree to delete: it deletes in the
#   mirror by its name now (it opened the partial tree by its old name:
#   "cannot open directory", exit 1);
rm -rf src2 new .new.ucp-partial
mkdir src2
for i in 1 2 3; do printf '%s\n' "$i" >"src2/f$i"; done
mkdir -p .new.ucp-partial/stale
printf 'old\n' >.new.ucp-partial/stale/x
ucp_cmd
UCP_TEST_STOP_DELETE=0 env --default-signal=INT,TERM,HUP,QUIT \
	"${UCP_CMD[@]}" --sync --delete src2 new >a.out 2>a.err &
STOP_PID=$!
wait_stopped "$STOP_PID"
ucp_try --sync --delete src2 new
expect_ok
stop_resume
[ "$RC" = 0 ] || fail "the stopped run exited $RC after the other named the mirror: $(cat a.err)"
expect_mirror src2 new
assert_absent .new.ucp-partial
# - A stopped right after its mkdir of the partial tree, which B made
#   (strace stops it there): it goes into the mirror B named.
command -v strace >/dev/null ||
	skip "strace is not installed (the last case stops ucp after a mkdir with it)"
rm -rf new
stop_start 1 --sync src2 new
b=$STOP_PID
ucp_cmd
# (LeakSanitizer cannot run under ptrace: off for the traced run.)
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	timeout -k 5 120 strace -f -qq -o strace.log -e trace=mkdir,mkdirat \
		-e inject=mkdir,mkdirat:signal=SIGSTOP:when=1 \
		"${UCP_CMD[@]}" --sync src2 new >a.out 2>a.err &
tracer=$!
a=$(traced_stopped "$tracer" strace.log)
[ -n "$a" ] || { kill "$tracer" 2>/dev/null; fail "the second run was not stopped after its mkdir"; }
STOP_PID=$b
stop_resume
expect_ok
kill -CONT "$a"
RC=0
wait "$tracer" || RC=$?
[ "$RC" = 0 ] || fail "the run stopped after its mkdir exited $RC: $(cat a.err)"
expect_mirror src2 new
assert_absent .new.ucp-partial
