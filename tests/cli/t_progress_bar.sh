#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data serial
# The progress bar, for real, on a pseudo-terminal (script(1)): it appears
# on a long run, shows bytes and files against the totals, is erased before
# each error line (no error is printed in the middle of a bar), and ends
# with a line showing the final totals. A short run shows no bar at all.
# shellcheck disable=SC2034 # RC is read by expect_ok (lib.sh)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v script >/dev/null || skip "script(1) is not installed"
script -qfec true /dev/null </dev/null >/dev/null 2>&1 ||
	skip "script(1) cannot open a pseudo-terminal here"

# Run "ucp ARG..." on a pseudo-terminal of COLS columns (200 unless set);
# the screen output goes to the file cap, ucp's pid to the file pid.
pty_run() {
	local -a UCP_CMD
	local cmd
	ucp_cmd
	cmd=$(printf '%q ' "${UCP_CMD[@]}" "$@")
	RC=0
	# ucp runs as a grandchild of script(1), which stops itself when its
	# own child stops.
	script -qfec "stty cols ${COLS:-200} rows 50; $cmd & echo \$! >pid; wait \$!" \
		/dev/null </dev/null >cap 2>&1 || RC=$?
}

# What a terminal shows: each line keeps the text after its last carriage
# return (every redraw starts with "\r\033[K").
screen() {
	sed 's/\r$//' cap | awk '{ n = split($0, seg, "\r"); print seg[n] }' |
		sed 's/\x1b\[K//g'
}

# The short run: nothing on the terminal (unless a tool such as valgrind
# slows it past the one-second delay).
mkdir small
printf 'x\n' >small/x
pty_run -r small small_copy
expect_ok
[ ! -s cap ] || [ -n "${EXEC_PREFIX-}" ] || fail "a short run printed: $(cat -v cap)"

# The long run: 3000 files and a large one, and in the destination a
# directory in the way of one file of each of the 30 subdirectories, so
# that errors come along the whole run.
mk_many src 3000
mk_file src/big $((64 << 20))
for g in $(seq 0 29); do
	mkdir -p "dst/src/g$g/f$((g * 100 + 1))"
done
nfiles=3001
nerr=30

# pty_stopped COLS ARG...: pty_run ARG... on COLS columns with ucp stopped
# after 10 files (test hook) for over a second, so the bar's one-second
# delay has passed when it goes on, whatever the speed of this machine;
# the big file, once published as the one being copied, waits until the
# bar has read its name (another test hook).
pty_stopped() {
	local runner cols=$1
	shift
	need_hooks
	rm -f pid cap
	UCP_TEST_STOP_AFTER=10 UCP_TEST_HOLD_CURRENT=1 COLS=$cols pty_run "$@" &
	runner=$!
	until [ -s pid ] || ! kill -0 "$runner" 2>/dev/null; do sleep 0.01; done
	pid=$(cat pid 2>/dev/null) || fail "the pseudo-terminal run did not start"
	wait_stopped "$pid"
	sleep 1.2
	kill -CONT "$pid"
	wait "$runner" || true
}

pty_stopped 200 -r src dst
grep -q 'files' cap || fail "no bar was drawn: $(cat -v cap | head -c 600)"

screen >screen.txt
# The error lines, each whole on its own line.
n=$(grep -c "^ucp: cannot overwrite directory 'dst/src/g[0-9]*/f[0-9]*' with non-directory 'src/g[0-9]*/f[0-9]*'$" screen.txt || true)
[ "$n" = "$nerr" ] || {
	cat -v cap >&2
	fail "expected $nerr whole error lines on the screen, found $n"
}
# No error text inside a bar frame: every segment of the raw output that
# mentions "ucp:" starts with it.
bad=$(sed 's/\r$//' cap | awk '{
	n = split($0, seg, "\r")
	for (i = 1; i <= n; i++) {
		s = seg[i]; gsub(/\x1b\[K/, "", s)
		p = index(s, "ucp:")
		if (p > 1) print s
	} }')
[ -z "$bad" ] || fail "an error line was printed inside the bar: $bad"
# Frames show bytes and files against totals, and a rate.
grep -qE '[0-9.]+[BKMG]/[0-9.]+[BKMG]\+?  [0-9]+/[0-9]+\+? files  [0-9.]+[BKMG]/s' cap ||
	fail "no bar frame with bytes, files and rate: $(cat -v cap | head -c 600)"
# The big file is named on the bar while it is copied, after the numbers.
grep -qE '[0-9]+/[0-9]+\+? files  [0-9.]+[BKMG]/s(  ETA [0-9:s]+)?(  [0-9]+ errors?)?  src/big' cap ||
	fail "no frame names the big file: $(cat -v cap | head -c 600)"
# The ETA needs seconds of samples: never on the first frame (nor while
# scanning), and not on the final line.
first=$(sed 's/\r$//' cap | tr '\r' '\n' | sed 's/\x1b\[K//g' | grep -m 1 'files' || true)
case $first in
*ETA*) fail "the first frame shows an ETA: $first" ;;
esac
if sed 's/\r$//' cap | tr '\r' '\n' | grep 'scanning\.\.\.' | grep -q ETA; then
	fail "an ETA while the totals still grow"
fi
# The last line on the screen is the final totals line.
last=$(grep . screen.txt | tail -n 1)
want_files="$((nfiles - nerr))/$nfiles files"
case $last in
*"$want_files"*" in "*"  $nerr errors") ;;
*) fail "the last line is not the final totals ($want_files, $nerr errors): $last" ;;
esac
case $last in
*ETA* | *src/big*) fail "the final line has an ETA or a file name: $last" ;;
esac
printf '%s\n' "$last" | grep -qE '^ *[0-9]+% \[[=> ]+\] ' ||
	fail "the final line has no gauge: $last"
# The gauge uses the width it is given: wide on 200 columns.
grep -qE '[0-9]+% \[[=> ]{60,}\] ' cap || fail "the bar does not use 200 columns"

# On 40 columns the gauge shrinks (or goes) and the numbers stay: no frame
# is wider than the terminal, and frames still show percent and files.
# wider COLS: the frames in cap wider than COLS columns.
wider() {
	sed 's/\r$//' cap | awk -v cols="$1" '{ n = split($0, seg, "\r")
	for (i = 1; i <= n; i++) { s = seg[i]; gsub(/\x1b\[K/, "", s)
		if (length(s) > cols) print s } }'
}
# cut_short: the frames in cap with a field cut short (a narrow line keeps
# whole fields only: "2.0M/s", never "2.0" or "in" without its time).
cut_short() {
	local h='[0-9.]+[BKMGTP]' d='[0-9]+(s|:[0-9:]+)' f
	f="( $h(/$h\\+?)?)?( {1,2}[0-9]+/[0-9]+\\+?( files)?)?( {1,2}$h/s)?"
	sed 's/\r$//' cap | tr '\r' '\n' | sed 's/\x1b\[K//g' | grep . |
		grep -vE "^ *[0-9]+%( \[[=> ]*\])?$f( {1,2}(ETA|in) $d)?( {1,2}[0-9]+ err(or)?s?)?(  src/.*)?\$" |
		grep -vE "^scanning\.\.\.$f(  src/.*)?\$" |
		grep -vE "^ +$" || true
}
rm -rf dst
pty_stopped 40 -r src dst
wide=$(wider 40)
[ -z "$wide" ] || fail "frames wider than 40 columns: $wide"
grep -qE '[0-9]+% .*[0-9]+/[0-9]+' cap || fail "no frame with percent and counts on 40 columns: $(cat -v cap | head -c 400)"
cut=$(cut_short)
[ -z "$cut" ] || fail "frames with a field cut short on 40 columns: $cut"
# (6 and 1: "100%" was cut to "100" or "1", and a terminal of one column
# got frames of 80.)
for cols in 25 20 6 1; do
	rm -rf dst
	pty_stopped $cols -r src dst
	wide=$(wider $cols)
	[ -z "$wide" ] || fail "frames wider than $cols columns: $wide"
	cut=$(cut_short)
	[ -z "$cut" ] || fail "frames with a field cut short on $cols columns: $cut"
done

# Narrower than 20 columns, likewise: frames were drawn for 80 columns,
# wrapped, and "\r" went back to their last row only, leaving the rest.
rm -rf dst
pty_stopped 15 -r src dst
wide=$(wider 15)
[ -z "$wide" ] || fail "frames wider than 15 columns: $wide"
grep -qE '[0-9]+%' cap || fail "no frame with a percent on 15 columns: $(cat -v cap | head -c 400)"

# A terminal that cannot erase a line (TERM=dumb): no escape sequence, the
# old frame overwritten with spaces instead.
rm -rf dst
TERM=dumb pty_stopped 80 -r src dst
grep -qE '[0-9]+%' cap || fail "no frame on a dumb terminal: $(cat -v cap | head -c 400)"
! grep -q $'\x1b' cap || fail "escape sequences on a dumb terminal: $(grep -m1 $'\x1b' cap | cat -v | head -c 200)"
