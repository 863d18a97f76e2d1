#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --tar of many multiply-linked files under a small limit on open files:
# each later name (a hard-link member, no data) kept the descriptor its
# member's header had no use for, one a file, until none was left: "Too
# many open files", 52 names left out of 200 under ulimit -n 64, 10 files
# lost whole (an rsnapshot tree past the limit could not be archived). Every
# name is in the archive now, in each tar format, and extracts linked.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir s
for i in $(seq 1 100); do
	printf '%s\n' "$i" >"s/f$i"
	ln "s/f$i" "s/g$i"
done
for format in pax gnutar ustar; do
	rm -rf "x.$format"
	ucp_try_nofile 64 --tar --format=$format s "a.$format"
	expect_ok "--format=$format"
	expect_err_empty
	ucp_try --list "a.$format"
	expect_ok
	[ "$(wc -l <"$T_OUT")" = 201 ] || fail "--format=$format: not 201 members"
	mkdir "x.$format"
	tar -xf "a.$format" -C "x.$format"
	for i in 1 50 100; do
		cmp -s "s/f$i" "x.$format/s/g$i" &&
			[ "$(stat -c %i "x.$format/s/f$i")" = "$(stat -c %i "x.$format/s/g$i")" ] ||
			fail "--format=$format: f$i and g$i are not one file"
	done
done
