#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A limit on file size (ulimit -f) is a write error like any other: the
# copy, --sync, --tar and --untar each say "File too large", exit 1, and
# leave no temporary, no partial file under a final name and no half
# archive; a file they were to replace keeps its old contents. (Without
# care the kernel's SIGXFSZ kills the process midway.)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

(ulimit -f 1024) 2>/dev/null || skip "cannot set the file size limit"
mkdir -p src out
head -c 3000000 /dev/urandom >src/big
printf 'small\n' >src/small
tar -cf src.tar src

# ucp_small ARG...: ucp_try with files limited to 1 MiB (1024 blocks).
ucp_small() {
	RC=0
	(
		ulimit -f 1024
		run_ucp "$@"
	) >"$T_OUT" 2>"$T_ERR" || RC=$?
}

too_large() {
	expect_rc 1
	grep -q 'File too large' "$T_ERR" || { show_last; fail "no 'File too large' message"; }
}

ucp_small -r src out/copy
too_large
[ ! -e out/copy/big ] || fail "the copy left a partial big"
cmp src/small out/copy/small || fail "the copy lost small"

ucp_small --sync src out/mirror
too_large
[ ! -e out/mirror/big ] || fail "--sync left a partial big"

ucp_small --tar src out/a.tar
too_large
[ -z "$(ls -A out | grep -v -e '^copy$' -e '^mirror$' -e '^\.mirror\.ucp-partial$')" ] ||
	fail "--tar left something behind: $(ls -A out)"

mkdir out/u
ucp_small --untar src.tar out/u
too_large
[ ! -e out/u/src/big ] || fail "--untar left a partial big under its name"
cmp src/small out/u/src/small || fail "--untar lost small"

mkdir -p out/v/src
printf 'OLD\n' >out/v/src/big
ucp_small --untar src.tar out/v
too_large
[ "$(cat out/v/src/big)" = OLD ] || fail "--untar did not keep the old big"
assert_no_tmp out
