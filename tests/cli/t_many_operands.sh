#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# More operands than the limit on open files holds: 600 files and 300
# directories given one by one into a directory, under a limit (soft and
# hard) of 64 descriptors, with -r, -a and the progress display. Every
# operand is copied, exit 0, and the trees compare equal. Below 16 the
# limit is too low: one refusal, nothing copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

limit=64
(ulimit -n "$limit") 2>/dev/null || skip "cannot set the descriptor limit to $limit"

mkdir -p src/files src/dirs
for i in $(seq 600); do printf '%s\n' "$i" >"src/files/f$i"; done
for i in $(seq 300); do
	mkdir "src/dirs/d$i"
	printf '%s\n' "$i" >"src/dirs/d$i/f"
done

for opts in "-r" "-a" "-r --progress=plain"; do
	rm -rf dst
	mkdir -p dst/files dst/dirs
	# (word splitting of $opts is meant)
	# shellcheck disable=SC2086
	ucp_try_nofile "$limit" $opts src/files/* dst/files/
	expect_ok
	# shellcheck disable=SC2086
	ucp_try_nofile "$limit" $opts src/dirs/* dst/dirs/
	expect_ok
	cmp_trees src dst
done

rm -rf dst
ucp_try_nofile 15 -r src dst
expect_rc 1
expect_err_line "ucp: the limit of 15 open files is too low: ucp needs 16 (ulimit -n)"
assert_absent dst
