#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync --delete of a source whose names differ in case only ("case" and
# "CASE", directories "D" and "d") into a mirror on a file system that
# does not tell case apart (exFAT or FAT, loop-mounted by the test): both
# names reach one entry there. Each run overwrote one with the other, and
# --delete removed what one directory's copy had put in the other's (the
# first run deleted a file it had just copied, the mirror lacked a file
# after every run), exit 0. Now the later of two such names is not copied,
# an error as copy mode gives it ("File exists"), exit 1, and runs again
# change nothing. On a file system that tells case apart, both are copied.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/D src/d src/sub
printf 'a\n' >src/case
printf 'bb\n' >src/CASE
printf '1\n' >src/D/one
printf '2\n' >src/d/two
printf 'x\n' >src/sub/x
printf 'X\n' >src/sub/X

# Here (a file system that tells case apart): all copied, twice the same.
ucp_try --sync --delete src here
expect_ok
expect_mirror src here

mount_nocase mnt
# state: the mirror's files, each with its bytes, sorted.
state() { (cd mnt/m && find . -type f -exec sh -c 'printf "%s %s\n" "$1" "$(cat "$1")"' _ {} \; | sort); }
for run in 1 2 3; do
	ucp_try --sync --delete --modify-window=1 --no-preserve=ownership src mnt/m
	expect_rc 1 "run $run into a mirror that does not tell case apart"
	[ "$(grep -c "File exists" "$T_ERR")" = 3 ] || { show_last; fail "run $run: not one error for each later twin"; }
	! grep -q deleting "$T_ERR" || fail "run $run: something was deleted"
	now=$(state)
	# Each file there holds the bytes of one of its source names.
	while read -r f bytes; do
		ok=false
		for g in src/"${f#./}" $(ls -d src/* src/*/* | grep -ix "src/${f#./}"); do
			[ "$(cat "$g")" = "$bytes" ] && ok=true
		done
		$ok || fail "run $run: ${f#./} holds '$bytes', no source file's bytes"
	done <<<"$now"
	[ "$(printf '%s\n' "$now" | wc -l)" = 3 ] || fail "run $run: the mirror holds $(printf '%s\n' "$now" | wc -l) files, not 3 (a case, D/one, a sub/x): $now"
	[ "$run" = 1 ] || [ "$now" = "$before" ] || fail "run $run changed the mirror: $before -> $now"
	before=$now
done

# Without --delete, and in a dry run (which finds it from the names there,
# making nothing): the same errors, the mirror as it was (the later twin
# was copied over the earlier one on a run again, exit 0; a dry run
# listed both, exit 0, where the run then refused one).
for how in "" --dry-run; do
	ucp_try --sync $how --modify-window=1 --no-preserve=ownership --itemize-changes src mnt/m
	expect_rc 1 "a run again ${how:-without --delete}"
	[ "$(grep -c "File exists" "$T_ERR")" = 3 ] || { show_last; fail "${how:-without --delete}: not one error for each later twin"; }
	# (exFAT through FUSE keeps no modes: each run sets them again, 'p'.)
	! grep -q '^>f' "$T_OUT" || { show_last; fail "${how:-without --delete}: a file was copied"; }
	[ "$(state)" = "$before" ] || fail "${how:-without --delete}: the mirror changed: $before -> $(state)"
done
