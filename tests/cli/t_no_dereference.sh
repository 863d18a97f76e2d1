#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A symlink operand is followed by default without -r, and copied as a
# symlink with -P, -d and -a (as cp does).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'target\n' >file
ln -s file link

ucp_try link followed
expect_ok
if [ -L followed ] || [ ! -f followed ]; then
	fail "without -P the link was not followed"
fi
cmp file followed || fail "followed copy differs"

for opt in -P --no-dereference -d -a; do
	ucp_try "$opt" link "kept$opt"
	expect_ok
	[ -L "kept$opt" ] || fail "$opt did not copy the symlink as a symlink"
	[ "$(readlink "kept$opt")" = file ] || fail "$opt changed the link target"
done
