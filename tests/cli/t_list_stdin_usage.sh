#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A usage error is said before a rule or list file is read: with
# --files-from=- or --exclude-from=- on a pipe that stays open (a terminal,
# a producer that runs on), ucp waited for its end before saying that
# --files-from needs --sync, or that an operand was too many.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v timeout >/dev/null || skip "timeout not installed"
mkdir -p src
printf 'a\n' >src/a
mkfifo pipe
# The pipe's writer stays until the end of the test (it never writes).
sleep 300 >pipe &
writer=$!
trap 'kill "$writer" 2>/dev/null || true' EXIT

check() {
	local want=$1
	shift
	RC=0
	# (A guard against the hang only: it fails by status 124, not by time.)
	timeout 60 "$UCP" "$@" <pipe >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 2 "$*"
	expect_err_has "$want"
}
check "--files-from needs --sync" --files-from=- -r src dst
check "--sync takes one source and one destination" --exclude-from=- --sync src dst extra
assert_absent dst
