#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Usage errors exit 2 with the exact message and the Try line, and create
# nothing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir w
cd w
printf 'a\n' >a
printf 'b\n' >b

expect_usage_error "ucp: missing file operand"
expect_usage_error "ucp: missing file operand" -r
expect_usage_error "ucp: missing destination file operand after 'a'" a
expect_usage_error "ucp: unrecognized option '--foo'" --foo a c
expect_usage_error "ucp: invalid option -- 'z'" -z a c
# An abbreviation several long options start with, as GNU getopt says it.
expect_usage_error "ucp: option '--no-p' is ambiguous; possibilities: '--no-preserve' '--no-progress'" --no-p a c
expect_usage_error "ucp: option '--del' is ambiguous; possibilities: '--delete' '--delete-excluded'" --sync --del a c
expect_usage_error "ucp: option '--no-p' is ambiguous; possibilities: '--no-preserve' '--no-progress'" --no-p=x a c
expect_usage_error "ucp: option '--target-directory' requires an argument" a --target-directory
expect_usage_error "ucp: invalid number of jobs: 'x' (1 to 64)" -j x a c
expect_usage_error "ucp: invalid number of jobs: 'x' (1 to 64)" --jobs=x a c
expect_usage_error "ucp: invalid number of jobs: '3x' (1 to 64)" -j 3x a c

# The engine message may carry a hint after the quoted name.
ucp_try --engine=bogus a c
expect_rc 2 "--engine=bogus"
grep -q "^ucp: invalid engine: 'bogus'" "$T_ERR" || {
	show_last
	fail "no 'invalid engine' message"
}
expect_err_line "$TRY_LINE"
assert_absent c

# A name in a usage error is escaped as in every other message: a newline
# in it does not start a line of its own (it forged one).
mkdir -p s
expect_usage_error "ucp: cannot open 'no\\nucp: forged': No such file or directory" \
	--sync --exclude-from="$(printf 'no\nucp: forged')" s m
expect_usage_error "ucp: extra operand 'c\\nd'" --untar a b "$(printf 'c\nd')"
# ... one way only: a backslash is escaped too (a name with "\n" in it
# read as one with a newline).
expect_usage_error "ucp: cannot open 'x\\\\ny': No such file or directory" \
	--sync --exclude-from='x\ny' s m
ucp_try --progress=json --sync --exclude-from="$(printf 'no\377')" s m
expect_rc 2 "JSON usage error"
expect_err_has '"message":"cannot open '\''no\\xff'\'': No such file or directory"'
