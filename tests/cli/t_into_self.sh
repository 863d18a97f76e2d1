#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copying a directory into itself is refused before anything is created.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p a/b
printf 'x\n' >a/x
printf 'y\n' >a/b/y
before=$(find a -printf '%y %s %P\n' | sort)

ucp_try -r a a/b
expect_rc 1
expect_err_line "ucp: cannot copy a directory, 'a', into itself, 'a/b/a'"
assert_absent a/b/a

ucp_try -r a a
expect_rc 1 "a into a"
expect_err_line "ucp: cannot copy a directory, 'a', into itself, 'a/a'"
assert_absent a/a

ucp_try -rT a a/b/c
expect_rc 1 "-T a a/b/c"
expect_err_line "ucp: cannot copy a directory, 'a', into itself, 'a/b/c'"
assert_absent a/b/c

ucp_try -r a/ a/b/
expect_rc 1 "with trailing slashes"
assert_absent a/b/a

after=$(find a -printf '%y %s %P\n' | sort)
[ "$before" = "$after" ] || fail "the source tree changed: $after"
