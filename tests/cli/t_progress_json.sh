#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --progress=json: stderr holds only JSON objects, one per line, of schema
# version 1; the counters never decrease; errors are error objects; the
# last line is a summary that matches the tree. --tar and --untar count
# directories as directories, not as files.
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
