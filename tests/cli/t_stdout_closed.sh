#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A closed standard output or input.
#
# A reader of -v that stops early (ucp -v | head): the copy goes on to its
# end, and the exit status is the run's (0), as --stats and the JSON
# summary say it, not a silent 1. The reader here never reads and exits
# at once; the listing (over 64 KiB) cannot all fit in the pipe, so a
# write meets the closed pipe whatever the timing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v jq >/dev/null || skip "jq is not installed"
mk_many src 4000
# (The pipeline's status is the reader's: ucp's is in PIPESTATUS.)
set +e
run_ucp -v -r --progress=json src dst 2>"$T_ERR" | :
RC=${PIPESTATUS[0]}
set -e
expect_rc 0
cmp_trees src dst
tail -n 1 "$T_ERR" | jq -e '.type == "summary" and .exit_status == 0' >/dev/null ||
	fail "the summary: $(tail -n 1 "$T_ERR")"

# Standard output closed (>&-): what was to be printed on it is lost, an
# error (exit 1), as cp -v and tar t say it; a run that prints nothing
# there succeeds.
RC=0
run_ucp -rv src closed >&- 2>"$T_ERR" || RC=$?
expect_rc 1 "-v with standard output closed"
expect_err_line "ucp: write error: Bad file descriptor"
cmp_trees src closed
ucp_try --tar src a.tar
expect_ok
RC=0
run_ucp --list a.tar >&- 2>"$T_ERR" || RC=$?
expect_rc 1 "--list with standard output closed"
RC=0
run_ucp -r src quiet >&- 2>"$T_ERR" || RC=$?
expect_ok

# Standard input closed (<&-): an archive read from "-" cannot be read,
# "Bad file descriptor" as tar says it, not an empty input.
for how in --untar --list; do
	args=(- out)
	[ "$how" = --list ] && args=(-)
	RC=0
	run_ucp "$how" "${args[@]}" <&- 2>"$T_ERR" || RC=$?
	expect_rc 1 "$how - with standard input closed"
	expect_err_line "ucp: cannot read archive '-': Bad file descriptor"
done
