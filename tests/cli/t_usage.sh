#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Usage errors exit 2 with the exact message and the Try line, and create
# nothing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir w
cd w
printf 'a\n' >a
printf 'b\n' >b

usage_error() {
	local msg=$1
	shift
	ucp_try "$@"
	expect_rc 2 "ucp $*"
	expect_err_exact "$msg" "$TRY_LINE"
	expect_out_empty
	[ "$(find . -mindepth 1 -printf '%P\n' | sort | tr '\n' ' ')" = "a b " ] ||
		fail "ucp $* created files: $(find . -mindepth 1 -printf '%P ')"
}

usage_error "ucp: missing file operand"
usage_error "ucp: missing file operand" -r
usage_error "ucp: missing destination file operand after 'a'" a
usage_error "ucp: unrecognized option '--foo'" --foo a c
usage_error "ucp: invalid option -- 'z'" -z a c
usage_error "ucp: option '--target-directory' requires an argument" a --target-directory
usage_error "ucp: invalid number of jobs: 'x'" -j x a c
usage_error "ucp: invalid number of jobs: 'x'" --jobs=x a c
usage_error "ucp: invalid number of jobs: '3x'" -j 3x a c

# The engine message may carry a hint after the quoted name.
ucp_try --engine=bogus a c
expect_rc 2 "--engine=bogus"
grep -q "^ucp: invalid engine: 'bogus'" "$T_ERR" || {
	show_last
	fail "no 'invalid engine' message"
}
expect_err_line "$TRY_LINE"
assert_absent c
