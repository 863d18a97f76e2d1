#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --progress=json: stderr holds only JSON objects, one per line, of schema
# version 2; the counters never decrease; progress objects have eta and
# current (null when not known); errors are error objects with op and
# path; the last line is a summary that matches the tree. Names that are
# not UTF-8 still make valid JSON (U+FFFD, and the bytes in path_hex), and
# usage errors are JSON objects too. --tar and --untar count directories
# as directories, not as files.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v jq >/dev/null || skip "jq is not installed"

mk_many src 2000
mk_file src/big $((8 << 20))
ln -s big src/link
# One file cannot be written: a directory is in its way.
mkdir -p dst/src/g3/f301
nfiles=2002
bytes=$(find src -type f ! -path src/g3/f301 -printf '%s\n' | awk '{ s += $1 } END { print s }')

ucp_try -r --progress=json src dst
expect_rc 1
expect_out_empty
[ -s "$T_ERR" ] || fail "--progress=json printed nothing"

# Every line is one JSON object with v == 2 and a known type.
n=0
while IFS= read -r line; do
	n=$((n + 1))
	printf '%s\n' "$line" | jq -e 'type == "object" and .v == 2 and
		(.type == "progress" or .type == "error" or .type == "summary")' \
		>/dev/null 2>&1 || fail "line $n is not a version 2 object: $line"
done <"$T_ERR"

# Progress objects: at least the first and the final one, all counters
# monotonic, and the totals at least the counts done.
jq -s -e '[.[] | select(.type == "progress")] as $p |
	($p | length) >= 2 and
	([range(1; $p | length) as $i | $p[$i - 1] as $a | $p[$i] as $b |
	  $b.files_done >= $a.files_done and $b.bytes_done >= $a.bytes_done and
	  $b.files_total >= $a.files_total and $b.bytes_total >= $a.bytes_total and
	  $b.errors >= $a.errors and $b.elapsed >= $a.elapsed] | all) and
	([$p[] | .files_done <= .files_total and .bytes_done <= .bytes_total] | all) and
	($p[-1].scanning == false)' "$T_ERR" >/dev/null ||
	fail "progress objects are not monotonic: $(cat "$T_ERR")"

# Schema 2: every progress object has eta (seconds or null) and current (a
# path or null); the first has no ETA yet (one sample), nor the last (done).
jq -s -e '[.[] | select(.type == "progress")] as $p |
	([$p[] | has("eta") and has("current") and
	  (.eta == null or (.eta | type) == "number") and
	  (.current == null or (.current | type) == "string")] | all) and
	$p[0].eta == null and $p[-1].eta == null and $p[-1].current == null and
	([$p[] | select(.scanning) | .eta == null] | all)' "$T_ERR" >/dev/null ||
	fail "progress objects without eta/current: $(grep progress "$T_ERR" | head -n 3)"

# The error, as an object with the usual wording.
jq -s -e --arg m "cannot overwrite directory 'dst/src/g3/f301' with non-directory 'src/g3/f301'" \
	'[.[] | select(.type == "error")] | length == 1 and .[0].message == $m and
	 .[0].op == "nondir_over_dir" and .[0].path == "src/g3/f301" and
	 .[0].path2 == "dst/src/g3/f301" and
	 .[0].fatal == false and .[0].warning == false' "$T_ERR" >/dev/null ||
	fail "no single error object for the blocked file: $(grep error "$T_ERR")"

# The summary is last and matches the tree.
tail -n 1 "$T_ERR" | jq -e --argjson files $((nfiles - 1)) --argjson bytes "$bytes" \
	'.type == "summary" and .files == $files and .bytes == $bytes and
	 .scanned == $files + 1 and
	 .symlinks == 1 and .errors == 1 and .dirs == 21 and .exit_status == 1 and
	 (.engine == "io_uring" or .engine == "threads") and .jobs >= 1' >/dev/null ||
	fail "the last line is not the expected summary ($((nfiles - 1)) files, $bytes bytes): $(tail -n 1 "$T_ERR")"
last_progress=$(jq -s -c '[.[] | select(.type == "progress")][-1]' "$T_ERR")
printf '%s\n' "$last_progress" | jq -e --argjson n "$nfiles" \
	'.files_total == $n and .files_done == $n - 1 and .errors == 1' >/dev/null ||
	fail "the final progress object does not match the tree: $last_progress"

# Without errors the exit status is 0, and -q does not silence JSON.
rm -rf dst
ucp_try -q -r --progress=json src dst
expect_ok
tail -n 1 "$T_ERR" | jq -e --argjson files "$nfiles" \
	'.type == "summary" and .files == $files and .errors == 0 and .exit_status == 0' \
	>/dev/null || fail "summary of a clean run: $(tail -n 1 "$T_ERR")"
cmp_trees src dst

# --tar and --untar count directories as directories, not as files: in the
# summary and in the last progress object.
dirs=$(find src -type d | wc -l)
for args in "--tar src a.tar" "--untar a.tar x"; do
	# shellcheck disable=SC2086 # the words of args are the arguments
	ucp_try --progress=json $args
	expect_ok
	tail -n 1 "$T_ERR" | jq -e --argjson f "$nfiles" --argjson d "$dirs" \
		'.type == "summary" and .files == $f and .dirs == $d and
		 .symlinks == 1' >/dev/null ||
		fail "ucp $args: summary counts $nfiles files and $dirs directories? $(tail -n 1 "$T_ERR")"
	jq -s -e --argjson f "$nfiles" --argjson d "$dirs" \
		'[.[] | select(.type == "progress")][-1] |
		 .files_done == $f and .files_total == $f and .dirs_done == $d' \
		"$T_ERR" >/dev/null ||
		fail "ucp $args: last progress object: $(grep '"progress"' "$T_ERR" | tail -n 1)"
done
cmp_trees src x/src

# A name that is not UTF-8: every line still parses, the path has U+FFFD
# and path_hex the exact bytes; the message escapes it as the terminal
# would.
bad=$(printf 'u/bad\377')
mkdir -p u "dst_u/$bad"
printf 'x\n' >"$bad"
ucp_try -r --progress=json u dst_u
expect_rc 1
jq -e . "$T_ERR" >/dev/null || fail "invalid JSON for a non-UTF-8 name: $(cat -v "$T_ERR")"
jq -s -e '[.[] | select(.type == "error")] | length == 1 and
	.[0].path == "u/bad\ufffd" and .[0].path_hex == "752f626164ff" and
	.[0].path2 == "dst_u/u/bad\ufffd" and .[0].path2_hex == "6473745f752f752f626164ff" and
	(.[0].message | test("bad\\\\xff"))' "$T_ERR" >/dev/null ||
	fail "error object for a non-UTF-8 name: $(grep error "$T_ERR")"
tail -n 1 "$T_ERR" | jq -e '.type == "summary" and .errors == 1' >/dev/null ||
	fail "summary of the non-UTF-8 run: $(tail -n 1 "$T_ERR")"

# Usage errors are JSON objects when --progress=json is asked for, even
# before it on the command line, and the exit status is still 2.
ucp_try --bogus --progress=json src dst
expect_rc 2
expect_out_empty
[ "$(wc -l <"$T_ERR")" -eq 1 ] || fail "more than one line for a usage error: $(cat "$T_ERR")"
jq -e '.v == 2 and .type == "error" and .op == "usage" and .path == null and
	.fatal == true and .message == "unrecognized option '"'--bogus'"'"' "$T_ERR" >/dev/null ||
	fail "usage error is not a JSON object: $(cat "$T_ERR")"
ucp_try --progress=json --progress=bar --bogus src dst
expect_rc 2
expect_err_line "ucp: unrecognized option '--bogus'"

# An operand that stops the whole command (exit 2) is a fatal error
# object, followed by the summary.
printf 'a\n' >op_a
printf 'b\n' >op_b
ucp_try --progress=json op_a op_b op_a
expect_rc 2
jq -s -e '[.[] | select(.type == "error")] | length == 1 and
	.[0].op == "not_dir_target" and .[0].path == "op_a" and .[0].fatal == true' \
	"$T_ERR" >/dev/null || fail "the operand error is not fatal: $(cat "$T_ERR")"
tail -n 1 "$T_ERR" | jq -e '.type == "summary" and .exit_status == 2' >/dev/null ||
	fail "no summary after the operand error: $(tail -n 1 "$T_ERR")"
# A mirror or an archive that cannot be made ends the run: fatal too (it
# said false, where --untar's said true), and a missing target says why.
mkdir -p jsrc
printf 'j\n' >jsrc/f
for how in "--sync jsrc nodir/m" "--tar jsrc nodir/a.tar" "--untar nodir/a.tar x" "op_a op_b nodir"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try --progress=json $how
	expect_rc 1 "$how"
	jq -s -e '[.[] | select(.type == "error")] | length == 1 and
		.[0].fatal == true and .[0].errno == 2' "$T_ERR" >/dev/null ||
		fail "$how: the error is not fatal, or has no errno: $(cat "$T_ERR")"
done
# So are --sync's one source onto a file, a mirror that holds its source,
# an archive with no name (refused before any work, as cp and tar refuse
# it), and a limit on open files too low to start.
mkdir -p holder/in
for how in "--sync jsrc op_a" "--sync --delete holder/in holder" "--tar jsrc ''" "ulimit"; do
	if [ "$how" = ulimit ]; then
		ucp_try_nofile 12 --progress=json op_a op_c
	else
		eval "ucp_try --progress=json $how"
	fi
	expect_rc 1 "$how"
	jq -s -e '[.[] | select(.type == "error")] | length == 1 and
		.[0].fatal == true' "$T_ERR" >/dev/null ||
		fail "$how: the error is not fatal: $(cat "$T_ERR")"
done
[ ! -e op_c ] || fail "a run with too few descriptors copied"
ls -A | grep -q '^\.\.ucp-' && fail "--tar '' left a temporary"

# A word that is an option's argument is no option: -S --no-progress
# (a suffix) leaves JSON asked for, -S --progress=json asks for none.
ucp_try --progress=json -S --no-progress -j 0 op_a op_b
expect_rc 2
jq -e '.type == "error" and .op == "usage" and .fatal == true' "$T_ERR" >/dev/null ||
	fail "-S --no-progress: the usage error is not JSON: $(cat "$T_ERR")"
ucp_try -S --progress=json -j 0 op_a op_b
expect_rc 2
expect_err_line "ucp: invalid number of jobs: '0' (1 to 64)"

# A FIFO source says no size: the total grows to what was read, never
# less than the bytes done.
mkfifo fifo
{ head -c 300000 /dev/zero >fifo; } &
ucp_try --progress=json fifo from_fifo
wait
expect_ok
jq -s -e '[.[] | select(.type == "progress")] as $p | ($p | length) >= 1 and
	([$p[] | .bytes_done <= .bytes_total] | all) and
	$p[-1].bytes_done == 300000' "$T_ERR" >/dev/null ||
	fail "a FIFO's bytes outgrew the total: $(grep progress "$T_ERR")"

# The command's own fatal messages too: stdout that cannot be written.
if [ -w /dev/full ]; then
	"$UCP" --progress=json --version >/dev/full 2>"$T_ERR" && fail "a write error passed"
	jq -e '.type == "error" and .op == "write" and .errno == 28 and .fatal == true' \
		"$T_ERR" >/dev/null || fail "write error is not a JSON object: $(cat "$T_ERR")"
fi

# -v lines that cannot be written (stdout on a full device): the error
# comes before the summary, which counts it and says exit status 1.
mkdir vsrc
printf 'a\n' >vsrc/a
if [ -w /dev/full ]; then
	RC=0
	run_ucp -rv --progress=json vsrc vdst >/dev/full 2>"$T_ERR" || RC=$?
	expect_rc 1 "-v into /dev/full"
	tail -n 1 "$T_ERR" | jq -e '.type == "summary" and .exit_status == 1 and
		.errors == 1' >/dev/null ||
		fail "the last line is not the summary of the failed write: $(tail -n 2 "$T_ERR")"
fi

# --tar -v --progress=json to stdout: stderr is JSON's alone, the -v
# lines are 'copied' objects there (they were text among the JSON).
RC=0
run_ucp --tar -v --progress=json vsrc - >/dev/null 2>"$T_ERR" || RC=$?
expect_ok
while IFS= read -r line; do
	printf '%s\n' "$line" | jq -e 'type == "object"' >/dev/null ||
		fail "not a JSON object on stderr: $line"
done <"$T_ERR"
jq -s -e '[.[] | select(.type == "copied" and .path == "vsrc/a" and .path2 == "vsrc/a")] | length == 1' \
	"$T_ERR" >/dev/null || fail "no copied object for vsrc/a: $(cat "$T_ERR")"

# Links made (-l, -s) move no data: no byte total to wait for (it counted
# the bytes it never copies, and the bar ended at 0%).
for o in -rl -rs; do
	RC=0
	run_ucp "$o" --progress=json "$PWD/vsrc" "links$o" 2>"$T_ERR" || RC=$?
	expect_ok
	jq -s -e '[.[] | select(.type == "progress")][-1] |
		.bytes_total == 0 and .files_done == .files_total' "$T_ERR" >/dev/null ||
		fail "$o: the last progress object waits for bytes: $(grep progress "$T_ERR" | tail -n 1)"
done

# The file being copied: a big file that is most of the copy is named in
# current while it is copied (a test hook holds it until a progress object
# has been written with it). Debug builds only (the hook).
"$UCP" --version 2>/dev/null | grep -qx 'test hooks: on' || exit 0
mkdir big_src
mk_file big_src/data $((8 << 20))
printf 'x\n' >big_src/small
UCP_TEST_HOLD_CURRENT=1 ucp_try -r --progress=json big_src big_dst
expect_ok
jq -s -e '[.[] | select(.type == "progress" and .current == "big_src/data")] |
	length >= 1' "$T_ERR" >/dev/null ||
	fail "no progress object names the big file: $(grep progress "$T_ERR")"
cmp_trees big_src big_dst


# A source of unknown size (a FIFO, read to its end): while it is still
# read, the totals grow with what is done, so they are said to
# ("scanning": true, as the bar shows '+' and no percentage); it said
# false with bytes_total equal to bytes_done, 100% on the bar throughout.
mkfifo slow.fifo
exec 3<>slow.fifo
head -c 32768 /dev/zero >&3
ucp_cmd
"${UCP_CMD[@]}" --progress=json slow.fifo fifo.out 2>fifo.json 3>&- &
pid=$!
# (Wait for a progress line that counts the 32 KiB, which fit in any
# pipe's buffer: ucp then waits for more on the FIFO, which stays open.)
until grep -q '"bytes_done":32768' fifo.json 2>/dev/null; do
	case $(proc_state "$pid") in
	Z | X | gone) fail "ucp ended while the FIFO was open" ;;
	esac
	sleep 0.05
done
line=$(grep '"type":"progress"' fifo.json | grep '"bytes_done":32768' | head -n 1)
[ "$(jq -r .scanning <<<"$line")" = true ] ||
	fail "a FIFO still read: scanning is not true: $line"
exec 3>&-
wait "$pid" || fail "ucp slow.fifo fifo.out failed: $(cat fifo.json)"
[ "$(stat -c %s fifo.out)" = 32768 ] || fail "fifo.out holds $(stat -c %s fifo.out) bytes"
[ "$(tail -n 1 fifo.json | jq -r .type)" = summary ] || fail "no summary last"
