#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Hard links kept (-a, --sync): -v lists every name, the linked ones too,
# and the final progress object reaches the totals (the totals count every
# name's bytes, and a link counts its file's when made). A --sync with
# nothing to do counts every name unchanged.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v jq >/dev/null || skip "jq is not installed"
mkdir src
for i in 1 2 3; do
	head -c $((20000 * i)) /dev/urandom >"src/f$i"
	ln "src/f$i" "src/g$i"
done
printf 'plain\n' >src/plain

# final_reaches: the last progress object has all files and bytes done.
final_reaches() {
	grep '"type":"progress"' "$T_ERR" | tail -n 1 |
		jq -e '.files_done == .files_total and .bytes_done == .bytes_total and
			.files_total == 7 and .bytes_total == 240006' >/dev/null ||
		fail "$1: the final progress object falls short: $(grep '"type":"progress"' "$T_ERR" | tail -n 1)"
}

ucp_try -av src copy
expect_ok
for f in f1 g1 f2 g2 f3 g3 plain; do
	expect_out_line "'src/$f' -> 'copy/$f'"
done
[ "$(stat -c %i copy/f1)" = "$(stat -c %i copy/g1)" ] || fail "-a did not keep the link"

ucp_try -a --progress=json src copy2
expect_ok
final_reaches "-a"

ucp_try --sync --progress=json src mirror
expect_ok
final_reaches "--sync"

ucp_try --sync --progress=json src mirror
expect_ok
grep '"type":"progress"' "$T_ERR" | tail -n 1 |
	jq -e '.files_done == 7 and .files_total == 7 and .skipped == 7' >/dev/null ||
	fail "a --sync with nothing to do: $(grep '"type":"progress"' "$T_ERR" | tail -n 1)"
