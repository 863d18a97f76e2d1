#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync --delete of a tree deeper than PATH_MAX in the mirror: a dry run
# lists every entry the real deletion takes (it listed the first PATH_MAX
# worth and said nothing of the rest, exit 0), --dry-run --max-delete
# stops where the real run stops (exit 25, it passed), and both hold
# under a limit of 16 open files (the real one failed "Too many open
# files" below 24, the dry one listed a handful of entries).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src dst
printf 'a\n' >src/a
# 500 levels of 'dddddddddd', a file in each: 1,001 entries, 5,500 bytes.
(
	cd dst
	mkdir extra
	cd extra
	for i in $(seq 500); do
		printf '%s\n' "$i" >f
		mkdir dddddddddd
		cd dddddddddd
	done
)
total=1001

for limit in "" 16; do
	# shellcheck disable=SC2086 # no limit: nothing
	ulimit_cmd=(${limit:+prlimit --nofile=$limit:$limit})
	UCP_CMD=()
	ucp_cmd
	RC=0
	"${ulimit_cmd[@]}" "${UCP_CMD[@]}" --sync --delete --dry-run --itemize-changes src dst \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_ok
	[ "$(grep -c '^\*deleting' "$T_OUT")" = "$total" ] ||
		fail "limit '$limit': the dry run listed $(grep -c '^\*deleting' "$T_OUT") of $total"
	RC=0
	"${ulimit_cmd[@]}" "${UCP_CMD[@]}" --sync --delete --dry-run --max-delete=600 src dst \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 25 "limit '$limit': --dry-run past --max-delete"
	expect_err_line "ucp: deletions stopped due to --max-delete limit ($((total - 600)) skipped)"
done

RC=0
prlimit --nofile=16:16 "${UCP_CMD[@]}" --sync --delete --max-delete=600 src dst \
	>"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 25 "past --max-delete"
expect_err_line "ucp: deletions stopped due to --max-delete limit ($((total - 600)) skipped)"
RC=0
prlimit --nofile=16:16 "${UCP_CMD[@]}" --sync --delete src dst >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
expect_mirror src dst
