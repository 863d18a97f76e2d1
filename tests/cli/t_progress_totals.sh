#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# The progress totals come from a counting walk ahead of the copy: once it
# is over (the test hook makes it end before the copy starts), the JSON
# lines give the whole tree's files and bytes and "scanning": false while
# the copy is still going, so a percent and an ETA can be shown. With
# --no-scan the totals are what the copy has found.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v jq >/dev/null || skip "jq is not installed"
mk_many src 3000
mk_file src/big $((8 << 20))
files=$(find src ! -type d | wc -l)
bytes=$(find src -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')

# run_json OPTION...: copy src with JSON progress, stopped after 10 files
# for over a second so that a progress line is due when it goes on.
run_json() {
	rm -rf dst
	export UCP_TEST_SCAN_FIRST=1
	stop_start 10 -r --progress=json "$@" src dst
	unset UCP_TEST_SCAN_FIRST
	sleep 1.2
	stop_resume
	expect_ok
	cmp_trees src dst
	first=$(grep '"type":"progress"' "$T_ERR" | head -n 1)
	[ -n "$first" ] || { show_last; fail "no progress line"; }
}

run_json
printf '%s\n' "$first" | jq -e --argjson f "$files" --argjson b "$bytes" \
	'.scanning == false and .files_total == $f and .bytes_total == $b and
	 .files_done < .files_total and (.eta == null or .eta >= 0)' >/dev/null ||
	fail "the first progress line lacks the walk's totals ($files files, $bytes bytes): $first"

run_json --no-scan
printf '%s\n' "$first" | jq -e --argjson f "$files" \
	'.files_total <= $f' >/dev/null ||
	fail "--no-scan: totals beyond the tree: $first"

# The last progress line of a run that copies nothing reaches its totals:
# a re-sync that finds every file unchanged, -u over a copy as new, -n
# over a copy. And a file that fails leaves the walk's totals in the last
# line (they never go down).
# last_line OPTION...: ucp --progress=json OPTION..., its last progress
# line in $last.
last_line() {
	ucp_try --progress=json "$@"
	last=$(grep '"type":"progress"' "$T_ERR" | tail -n 1)
}
rm -rf dst
ucp_try --sync src dst
expect_ok
for opts in "--sync src dst" "-ru src/. dst" "-rn src/. dst"; do
	# shellcheck disable=SC2086 # the options are words
	last_line $opts
	expect_ok
	printf '%s\n' "$last" | jq -e --argjson f "$files" --argjson b "$bytes" \
		'.files_done == $f and .files_total == $f and
		 .bytes_done == $b and .bytes_total == $b' >/dev/null ||
		fail "ucp $opts: the last progress line is not at its totals: $last"
done
printf 'x\n' >same
# (The walk ends before the copy starts, so it has counted the file.)
UCP_TEST_SCAN_FIRST=1 last_line same same
expect_rc 1
printf '%s\n' "$last" | jq -e '.files_total == 1 and .bytes_total == 2' >/dev/null ||
	fail "the totals of a failed copy went down: $last"

# --existing: what the mirror lacks is not counted in, so the last line
# reaches its totals.
mkdir -p ex/src ex/dst
printf 'a\n' >ex/src/a
cp -a ex/src/a ex/dst/a
head -c 100000 /dev/zero >ex/src/new
mkdir ex/src/newdir
printf 'x\n' >ex/src/newdir/x
last_line --sync --existing ex/src/ ex/dst/
expect_ok
printf '%s\n' "$last" | jq -e '.files_done == .files_total and .bytes_done == .bytes_total' >/dev/null ||
	fail "--existing: the last progress line is short of its totals: $last"

# A source given twice is copied once (with cp's warning), and counted
# once: the walk counted it twice, and the last line stopped at half.
mkdir -p tw/d tw/out
printf 'one\n' >tw/d/a
printf 'two\n' >tw/d/b
UCP_TEST_SCAN_FIRST=1 last_line -r tw/d ./tw/d tw/out
expect_ok
printf '%s\n' "$last" | jq -e '.files_done == 2 and .files_total == 2 and
	.bytes_done == 8 and .bytes_total == 8' >/dev/null ||
	fail "a source given twice: the last progress line is not at its totals: $last"
grep '"type":"summary"' "$T_ERR" | jq -e '.scanned == 2' >/dev/null ||
	fail "a source given twice: scanned $(grep '"type":"summary"' "$T_ERR")"
# ... but two names of one tree (a link to it, followed) are two copies,
# counted so from the first line (the walk counted them once).
ln -s src srclink
mkdir dst2
export UCP_TEST_SCAN_FIRST=1
stop_start 10 -rL --progress=json src srclink dst2
unset UCP_TEST_SCAN_FIRST
sleep 1.2
stop_resume
expect_ok
first=$(grep '"type":"progress"' "$T_ERR" | head -n 1)
printf '%s\n' "$first" | jq -e --argjson f $((2 * files)) '.files_total == $f' >/dev/null ||
	fail "src and a link to it: the first totals are not twice $files files: $first"

# --sync --ignore-existing keeping a file where the source has a
# directory: the entries below it, in the totals, are counted as kept
# (the bar ended at a quarter).
mkdir -p ie/s/d ie/m
for i in 1 2 3; do printf '%s\n' "$i" >"ie/s/d/f$i"; done
printf 'top\n' >ie/s/top
printf 'file\n' >ie/m/d
UCP_TEST_SCAN_FIRST=1 ucp_try --progress=json --sync --ignore-existing ie/s/ ie/m/
expect_ok
last=$(grep '"type":"progress"' "$T_ERR" | tail -n 1)
printf '%s\n' "$last" | jq -e '.files_total == 4 and .files_done == 4 and
	.bytes_done == .bytes_total and .skipped == 3' >/dev/null ||
	fail "--ignore-existing: the last progress line is not at its totals: $last"
[ "$(cat ie/m/d)" = file ] || fail "--ignore-existing replaced the file"
