#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync as a user into a mirror that holds a read-only directory (0500,
# mirrored so by an earlier run): the changed file, a new file and a new
# subdirectory in it are written, as rsync writes them (the directory is
# given owner write for the run), and it ends 0500 again, with no 'p'
# listed for it; so with --delete; a run with nothing to change leaves it
# alone. As a user: root writes into any directory.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
mkdir -p src/locked
printf 'old\n' >src/locked/f
printf 'same\n' >src/locked/same
unpriv_own src
chmod 0500 src/locked
ucp_try_unpriv --sync src/ m
expect_ok
[ "$(stat -c %a m/locked)" = 500 ] || fail "first run: m/locked is $(stat -c %a m/locked)"
ctime=$(stat -c %Z m/locked)

# Nothing to change: the directory is not touched.
ucp_try_unpriv --sync --itemize-changes src/ m
expect_ok
expect_out_empty
[ "$(stat -c %Z m/locked)" = "$ctime" ] || fail "an unchanged read-only directory was touched"

chmod u+w src/locked
printf 'changed, longer\n' >src/locked/f
printf 'new\n' >src/locked/g
mkdir src/locked/sub
printf 's\n' >src/locked/sub/s
unpriv_own src
chmod 0500 src/locked
ucp_try_unpriv --sync --itemize-changes src/ m
expect_ok
for want in '>f.st...... locked/f' '>f+++++++++ locked/g' \
	'cd+++++++++ locked/sub/' '>f+++++++++ locked/sub/s'; do
	grep -qxF -- "$want" "$T_OUT" || {
		show_last
		fail "not listed: $want"
	}
done
if grep -Eq '^.{5}p.{5} locked/$' "$T_OUT"; then
	show_last
	fail "the directory's mode, given back, was listed as a change"
fi
assert_same_file src/locked/f m/locked/f
assert_same_file src/locked/g m/locked/g
assert_same_file src/locked/sub/s m/locked/sub/s
[ "$(stat -c %a m/locked)" = 500 ] || fail "m/locked ended $(stat -c %a m/locked), want 500"
ucp_try_unpriv --sync --itemize-changes src/ m
expect_ok
expect_out_empty

# --delete in it: a file and a directory the source lost go, the mode is
# put back.
chmod u+w src/locked
rm src/locked/g
rm -r src/locked/sub
chmod 0500 src/locked
ucp_try_unpriv --sync --delete --itemize-changes src/ m
expect_ok
for want in '*deleting   locked/g' '*deleting   locked/sub/'; do
	grep -qxF -- "$want" "$T_OUT" || {
		show_last
		fail "not listed: $want"
	}
done
assert_absent m/locked/g
assert_absent m/locked/sub
[ "$(stat -c %a m/locked)" = 500 ] || fail "after --delete m/locked is $(stat -c %a m/locked), want 500"
ucp_try_unpriv --sync --delete --itemize-changes src/ m
expect_ok
expect_out_empty
