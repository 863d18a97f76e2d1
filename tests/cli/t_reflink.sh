#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# On an XFS image (loop-mounted by the test): --reflink=always and the
# default (auto) share data extents with the source, --reflink=never does
# not, and every copy has the same bytes. Elsewhere --reflink=always fails
# with a message and leaves no file.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mount_xfs mnt

mkdir -p mnt/src/sub
head -c 3000000 /dev/urandom >mnt/src/big
head -c 5000 /dev/urandom >mnt/src/sub/small
: >mnt/src/empty

# shared FILE: true when filefrag reports a shared extent.
shared() {
	filefrag -v "$1" | grep -q shared
}

ucp_try -r --reflink=always mnt/src mnt/always
expect_ok
ucp_try -r mnt/src mnt/auto
expect_ok
ucp_try -r --reflink=never mnt/src mnt/never
expect_ok
for f in big sub/small; do
	for d in always auto never; do
		cmp "mnt/src/$f" "mnt/$d/$f" || fail "$d/$f differs from the source"
	done
	shared "mnt/always/$f" || fail "--reflink=always did not share $f"
	! shared "mnt/never/$f" || fail "--reflink=never shared $f"
done
shared mnt/auto/big || fail "the default (auto) did not clone a large file"

# Across file systems a clone is impossible: always is an error.
ucp_try --reflink=always mnt/src/big outside
expect_rc 1 "clone across file systems"
grep -q "cannot clone" "$T_ERR" || fail "no 'cannot clone' message"
[ ! -e outside ] || fail "a failed clone left a file behind"

# An empty file too, as cp --reflink=always tries it.
ucp_try --reflink=always mnt/src/empty outside_empty
expect_rc 1 "an empty file's clone across file systems"
grep -q "cannot clone" "$T_ERR" || fail "no 'cannot clone' message for an empty file"
[ ! -e outside_empty ] || fail "a failed clone of an empty file left a file behind"
