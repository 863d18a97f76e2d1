#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The link limit met for real, part-way through a group: a --link-dest
# twin two links short of ext4's 65,000, a source file of forty names. Two
# names link to the twin; the first past the limit gets a copy of its own,
# and the others link to that copy, not to the full twin (nor each a copy
# of its own: those that waited for the group's first copy were handed the
# full one), whichever worker meets them. It dropped the names past the
# limit, "Too many links", run after run.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mount_ext4 fs
mkdir fs/src
printf 'data\n' >fs/src/a
names=$(seq 1 39)
for n in $names; do ln fs/src/a "fs/src/$n"; done
ucp_try --sync fs/src fs/ref
expect_ok
# The twin's links up to two short of the limit (it has the forty names).
"$MKMANY" -l fs/ref/a fs/pad 64958 || fail "cannot make the links"
[ "$(stat -c %h fs/ref/a)" = 64998 ] || fail "the twin has $(stat -c %h fs/ref/a) links, not 64998"

for j in 1 4; do
	rm -rf fs/new
	ucp_try -j "$j" --sync --link-dest="$PWD/fs/ref" fs/src fs/new
	expect_ok "-j $j"
	expect_err_empty
	for n in a $names; do
		cmp -s fs/src/a "fs/new/$n" || fail "-j $j: $n is missing or wrong"
	done
	twin=$(stat -c %i fs/ref/a)
	linked=0 copied=0
	for n in a $names; do
		if [ "$(stat -c %i "fs/new/$n")" = "$twin" ]; then
			linked=$((linked + 1))
		else
			copied=$((copied + 1))
		fi
	done
	[ "$linked" = 2 ] && [ "$copied" = 38 ] ||
		fail "-j $j: $linked names linked to the twin, $copied not"
	[ "$(stat -c %i fs/new/* | sort -u | wc -l)" = 2 ] ||
		fail "-j $j: the names past the limit are not one copy"
	# The twin is back to two short of the limit: its new links go.
	rm -rf fs/new
done
