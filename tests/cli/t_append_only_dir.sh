#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Replacing a file in an append-only directory (chattr +a: names are made,
# none renamed over or removed): it is rewritten in place, as cp writes
# it, where a temporary was made that could be neither renamed over it
# nor removed (exit 1, the temporary left for good). Root.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "chattr +a needs root"
command -v chattr >/dev/null || skip "chattr is not installed (e2fsprogs)"
printf 'new\n' >f
mkdir u
printf 'old\n' >u/x
chattr +a u 2>/dev/null || skip "this file system has no append-only directories"
trap 'chattr -a u 2>/dev/null || true' EXIT
for opt in "" -p; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $opt f u/x
	expect_ok
	[ "$(cat u/x)" = new ] || fail "ucp $opt: u/x was not replaced"
	[ "$(ls -A u)" = x ] || fail "ucp $opt left: $(ls -A u)"
	printf 'old\n' >>u/x
done
