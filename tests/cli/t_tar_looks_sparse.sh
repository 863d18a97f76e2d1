#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A file that uses fewer blocks than its size without a hole (a sysfs
# attribute: 4096 bytes, no blocks; so are files compressed by btrfs or
# ZFS): --tar looks for holes, finds none, and archives the data it reads.
# (It was read from where the hole search left the offset, the end: all
# zeros.) The attribute is shorter than it says: on sysfs, whose sizes
# are not its files', it is read to its end and the member takes the size
# read, as copy mode copies it (it was padded with zeros and reported as
# changed, exit 1, as GNU tar does).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

attr=
for f in /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/mm/ksm/run \
	/sys/power/state /sys/kernel/profiling /sys/class/mem/null/dev; do
	if [ -r "$f" ] && [ "$(stat -c %b "$f")" = 0 ] &&
		[ "$(stat -c %s "$f")" -gt "$(wc -c <"$f")" ] &&
		[ "$(wc -c <"$f")" -gt 0 ]; then
		attr=$f
		break
	fi
done
[ -n "$attr" ] || skip "no readable sysfs attribute (is /sys mounted?)"
want=$(cat "$attr")
ucp_try --tar "$attr" s.tar
expect_ok
got=$(tar -xOf s.tar)
[ "$got" = "$want" ] || fail "$attr archived as '$got', want '$want'"
[ "$(tar -xOf s.tar | wc -c)" = "$(wc -c <"$attr")" ] ||
	fail "$attr archived with $(tar -xOf s.tar | wc -c) bytes, not its $(wc -c <"$attr")"
