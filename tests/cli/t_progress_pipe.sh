#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once serial
# One progress line per terminal: an archive written to a pipe
# (ucp --tar src - | ...) leaves the bar to the reader at the other end and
# draws none of its own, unless --progress asks for it; the reader
# (ucp --untar -), which cannot know the total, shows bytes, files and
# rate without a percentage until its final line. On a
# pseudo-terminal (script(1)), with the writer held stopped (test hook)
# past the bar's one-second delay.
# shellcheck disable=SC2034 # RC is read by expect_ok (lib.sh)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v script >/dev/null || skip "script(1) is not installed"
script -qfec true /dev/null </dev/null >/dev/null 2>&1 ||
	skip "script(1) cannot open a pseudo-terminal here"
need_hooks

mk_many src 500

# piped_tar ARG...: ucp --tar ARG... src - | cat, on a pseudo-terminal,
# ucp stopped after 10 files for over a second; the screen goes to cap.
piped_tar() {
	local -a UCP_CMD
	local cmd runner pid
	ucp_cmd
	cmd=$(printf '%q ' "${UCP_CMD[@]}" --tar "$@" src -)
	rm -f pid cap
	UCP_TEST_STOP_AFTER=10 script -qfec \
		"stty cols 200 rows 50; ( $cmd & echo \$! >pid; wait \$! ) | cat >/dev/null" \
		/dev/null </dev/null >cap 2>&1 &
	runner=$!
	until [ -s pid ] || ! kill -0 "$runner" 2>/dev/null; do sleep 0.01; done
	pid=$(cat pid 2>/dev/null) || fail "the pseudo-terminal run did not start"
	wait_stopped "$pid"
	sleep 1.2
	kill -CONT "$pid"
	wait "$runner" || fail "the piped archive run failed: $(cat -v cap)"
}

piped_tar
if grep -q 'files' cap; then
	fail "the writer of a piped archive drew a bar: $(cat -v cap | head -c 400)"
fi
piped_tar --progress
grep -q 'files' cap || fail "--progress drew no bar: $(cat -v cap | head -c 400)"

# The reader's line: ucp --tar src - | ucp --untar - out, the reader held.
ucp_cmd
tar_cmd=$(printf '%q ' "${UCP_CMD[@]}" --tar src -)
untar_cmd=$(printf '%q ' "${UCP_CMD[@]}" --untar - out)
rm -f pid cap
script -qfec "stty cols 200 rows 50; $tar_cmd | UCP_TEST_STOP_AFTER=10 $untar_cmd & echo \$! >pid; wait \$!" \
	/dev/null </dev/null >cap 2>&1 &
runner=$!
until [ -s pid ] || ! kill -0 "$runner" 2>/dev/null; do sleep 0.01; done
pid=$(cat pid 2>/dev/null) || fail "the pseudo-terminal run did not start"
wait_stopped "$pid"
sleep 1.2
kill -CONT "$pid"
wait "$runner" || fail "the pipeline failed: $(cat -v cap)"
cmp_trees src out/src
frames=$(sed 's/\r$//' cap | tr '\r' '\n' | sed 's/\x1b\[K//g' | grep -E 'files' || true)
[ -n "$frames" ] || fail "the reader drew no line: $(cat -v cap | head -c 400)"
last=$(printf '%s\n' "$frames" | tail -n 1)
early=$(printf '%s\n' "$frames" | sed '$d')
[ -n "$early" ] || fail "only the final line was drawn: $last"
if printf '%s\n' "$early" | grep -q '%'; then
	fail "the reader showed a percentage before the end: $(printf '%s\n' "$early" | head -n 3)"
fi
# Without a total there is no time left to estimate either.
if printf '%s\n' "$early" | grep -q 'ETA'; then
	fail "the reader showed an ETA without a total: $(printf '%s\n' "$early" | grep ETA | head -n 3)"
fi
printf '%s\n' "$early" | grep -qE '^[0-9.]+[BKMG]  [0-9]+ files  [0-9.]+[BKMG]/s$' ||
	fail "no frame with bytes, files and rate: $(printf '%s\n' "$early" | head -n 3)"
printf '%s\n' "$last" | grep -qE '^100% .* in ' || fail "the final line is not the totals: $last"
