#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# libarchive is loaded only when an archive mode needs it: a copy runs
# without it, and when it cannot be loaded --tar, --untar and --list stop
# at once with a message naming the library and the loader's reason, a
# non-zero exit status, and no archive or member left behind. Debug builds
# (a test hook names a library that is not there).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir src
printf 'data\n' >src/f

# A copy does not load it at all: not even a library that is not there.
UCP_TEST_ARCHIVE_NAME=libucp-missing.so.0 ucp_try -r src copy
expect_ok
cmp src/f copy/f || fail "the copy differs"

ucp_try --tar src good.tar
expect_ok

want="ucp: cannot load library 'libucp-missing.so.0': libucp-missing.so.0: cannot open shared object file: No such file or directory"
UCP_TEST_ARCHIVE_NAME=libucp-missing.so.0 ucp_try --tar src a.tar
expect_rc 1
expect_err_line "$want"
[ ! -e a.tar ] || fail "--tar left an archive behind"
ls -A | grep -q '^\.ucp' && fail "a temporary was left: $(ls -A)"

UCP_TEST_ARCHIVE_NAME=libucp-missing.so.0 ucp_try --untar good.tar out
expect_rc 1
expect_err_line "$want"
[ -z "$(find out -type f 2>/dev/null)" ] || fail "--untar extracted without the library"

UCP_TEST_ARCHIVE_NAME=libucp-missing.so.0 ucp_try --list good.tar
expect_rc 1
expect_err_line "$want"
expect_out_empty

# A library that is there but is not libarchive: named, with the function
# it lacks.
UCP_TEST_ARCHIVE_NAME=libc.so.6 ucp_try --list good.tar
expect_rc 1
grep -q "^ucp: cannot load library 'libc.so.6': libc.so.6 has no function archive_" "$T_ERR" ||
	fail "no message for a library without libarchive's functions: $(cat "$T_ERR")"
