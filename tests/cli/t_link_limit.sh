#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A name of a hard-link group whose copy takes no more links (EMLINK: the
# file system's limit, reached part-way through a group when a --link-dest
# twin is linked over and over) was left out, "Too many links", run after
# run. It gets a copy of its own, which the group's later names link to,
# as rsync -H copies it. A test hook fails the first link with EMLINK.
# Debug builds.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

mkdir -p s/x s/y
printf 'data\n' >s/a
ln s/a s/x/b
ln s/a s/y/c
for how in "-a" "--sync"; do
	rm -rf d
	# shellcheck disable=SC2086 # split on purpose
	UCP_FAULT=link:1:EMLINK ucp_try -j1 $how s d
	expect_ok "$how"
	expect_err_empty
	for n in a x/b y/c; do
		cmp -s s/a "d/$n" || fail "$how: $n is missing or wrong"
	done
	# Two copies at most: the first, and the one made past the limit
	# (with the names after it linked to it).
	inodes=$(stat -c %i d/a d/x/b d/y/c | sort -u | wc -l)
	[ "$inodes" -le 2 ] || fail "$how: $inodes copies of one file"
done
