#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync --itemize-changes lists a later name of a hard-link group as 'h'
# only once the link is made: when the group's first copy fails (an
# injected EIO on its open, debug builds), no name is listed that was not
# made, in both engines, and the run exits 1.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

mkdir src
printf 'grp\n' >src/a
ln src/a src/b
for engine in uring threads; do
	rm -rf m
	RC=0
	UCP_FAULT=open:1:EIO run_ucp --engine="$engine" -j 1 --sync -aH \
		--itemize-changes src/ m >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 1 "$engine"
	expect_err_has "Input/output error"
	# (The group's next name may be copied in its place: the thread
	# engine claims it after the failure.)
	for name in $(grep '^[h>]f' "$T_OUT" | cut -c13- | sed 's/ => .*//'); do
		[ -f "m/$name" ] || {
			show_last
			fail "$engine: '$name' listed, not made"
		}
	done
	[ -e m/a ] && [ -e m/b ] &&
		fail "$engine: both names made, though the first copy failed"
	# The same tree without the fault: both names, one file, one h line.
	rm -rf m
	ucp_try --engine="$engine" -j 1 --sync -aH --itemize-changes src/ m
	expect_ok
	[ "$(grep -Ec '^hf.{9} (a => b|b => a)$' "$T_OUT")" = 1 ] || {
		show_last
		fail "$engine: no h line for the group's later name"
	}
done
