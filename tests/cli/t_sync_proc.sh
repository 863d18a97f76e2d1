#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync of /proc files, whose size says 0: read to their end, as copy mode
# and --tar read them, with every engine (the ring engine copied them
# empty, exit 0), and a mirror of them settles: their size is not compared
# (a later run copied them all again), and -c hashes both to their ends
# (it took them all for changed, and copied each again).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

src=/proc/sys/kernel/random
[ -r $src/boot_id ] && [ "$(stat -c %s $src/boot_id)" = 0 ] ||
	skip "no $src/boot_id of size 0"
ucp_try --sync $src m
expect_ok
for f in boot_id poolsize; do
	[ "$(cat m/$f)" = "$(cat $src/$f)" ] || fail "m/$f holds '$(cat m/$f)'"
done
ucp_try --sync -c --itemize-changes $src m
expect_ok
! grep -E ' (boot_id|poolsize)$' "$T_OUT" >/dev/null ||
	fail "-c took unchanged /proc files for changed: $(tr '\n' ' ' <"$T_OUT")"
[ "$(cat m/boot_id)" = "$(cat $src/boot_id)" ] || fail "-c emptied m/boot_id"
