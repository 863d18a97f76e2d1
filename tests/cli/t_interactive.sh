#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data serial
# -i asks before replacing, on a terminal: "y" replaces, "n" keeps the file
# (exit 0, as cp). Without a terminal on stdin nothing is taken for a yes:
# the file is kept, a message names it, and the exit status is 1. -n after
# -i wins, and -i after -n.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src dst
printf 'new\n' >src/a
printf 'new-b\n' >src/b
printf 'old\n' >dst/a

# No terminal: refused politely, b (no conflict) is still copied.
ucp_try -i src/a src/b dst </dev/null
expect_rc 1
expect_err_has "not replacing 'dst/a': standard input is not a terminal"
[ "$(cat dst/a)" = old ] || fail "dst/a was replaced without an answer"
[ "$(cat dst/b)" = new-b ] || fail "dst/b (no conflict) was not copied"

# Piped "y" is not an answer either.
ucp_try -i src/a dst/a < <(printf 'y\n')
expect_rc 1
[ "$(cat dst/a)" = old ] || fail "a piped 'y' replaced dst/a"

# -n after -i: no question, kept, success.
ucp_try -i -n src/a dst/a </dev/null
expect_ok
[ "$(cat dst/a)" = old ] || fail "-i -n replaced dst/a"

command -v script >/dev/null || skip "script (util-linux) not installed"
# On a terminal (script gives ucp a pseudo-terminal fed from our stdin).
declare -a UCP_CMD
ucp_cmd
ask() {
	local answer=$1
	shift
	RC=0
	printf '%s\n' "$answer" | script -qec "$(printf '%q ' "${UCP_CMD[@]}" "$@")" /dev/null \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
}
ask n -i --stats src/a dst/a
expect_ok
grep -q "overwrite 'dst/a'?" "$T_OUT" || { show_last; fail "no question asked"; }
[ "$(cat dst/a)" = old ] || fail "answer n replaced dst/a"
# (Counted as kept, as -n counts it.)
grep -q '^Skipped: *1.$' "$T_OUT" || { show_last; fail "the kept file is not counted as skipped"; }
ask y -i src/a dst/a
expect_ok
[ "$(cat dst/a)" = new ] || fail "answer y did not replace dst/a"
# With --progress=json, the question is a JSON object of its own line (it
# was the text, with the next object glued to it).
printf 'old\n' >dst/a
ask y -i --progress=json src/a dst/a
expect_ok
tr -d '\r' <"$T_OUT" | grep -qx '{"v":2,"type":"question","path":"dst/a"}' ||
	{ show_last; fail "--progress=json: the question is not a JSON line"; }
# (The terminal echoes the answer.)
tr -d '\r' <"$T_OUT" | grep -v -x -e '{.*}' -e y | grep -q . &&
	{ show_last; fail "--progress=json: a line that is not JSON"; }
[ "$(cat dst/a)" = new ] || fail "--progress=json: answer y did not replace dst/a"
# -i after -n asks again.
printf 'old\n' >dst/a
ask y -n -i src/a dst/a
expect_ok
[ "$(cat dst/a)" = new ] || fail "-n -i did not ask"

# An interrupt at the question ends the run at once, as cp: no answer is
# waited for, and nothing more is asked. (The question shown, ucp is at it.)
printf 'old\n' >dst/a
printf 'old-b\n' >dst/b
mkfifo answers
exec 5<>answers
RC=0
: >"$T_OUT" # (the questions of the runs above are not this one's)
script -qec "$(printf '%q ' env --default-signal=INT,TERM "${UCP_CMD[@]}" -i src/a src/b dst)" \
	/dev/null <answers >"$T_OUT" 2>"$T_ERR" &
spid=$!
until grep -q "overwrite 'dst/" "$T_OUT"; do
	[ "$(proc_state "$spid")" != gone ] || fail "ucp ended before it asked"
	sleep 0.01
done
# ucp is the descendant of script that runs the binary under test.
upid=
for p in $(pgrep -P "$spid") $(pgrep -P "$spid" | xargs -r -n1 pgrep -P); do
	[ "$(readlink "/proc/$p/exe")" = "$(readlink -f "$UCP")" ] && upid=$p
done
[ -n "$upid" ] || fail "cannot find the ucp that asks"
kill -TERM "$upid"
wait "$spid" || RC=$?
exec 5>&-
expect_rc 143 "an interrupt at the question"
[ "$(cat dst/a)" = old ] && [ "$(cat dst/b)" = old-b ] ||
	fail "a file was replaced after an interrupt at the question"
[ "$(grep -c "overwrite 'dst/" "$T_OUT")" = 1 ] ||
	{ show_last; fail "ucp asked again after an interrupt"; }
