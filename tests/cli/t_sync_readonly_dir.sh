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
printf 'pair\n' >src/locked/h1
ln src/locked/h1 src/locked/h2
unpriv_own src
chmod 0500 src/locked
ucp_try_unpriv --sync src/ m
expect_ok
[ "$(stat -c %a m/locked)" = 500 ] || fail "first run: m/locked is $(stat -c %a m/locked)"
ctime=$(stat -c %z m/locked)

# Nothing to change: the directory is not touched (its change time, to
# the nanosecond), hard-linked names in it included.
ucp_try_unpriv --sync --itemize-changes src/ m
expect_ok
expect_out_empty
[ "$(stat -c %z m/locked)" = "$ctime" ] || fail "an unchanged read-only directory was touched"

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

# Without the mode kept, the owner write given for the run is taken back.
chmod u+w src/locked
printf 'again\n' >src/locked/n
unpriv_own src
chmod 0500 src/locked
ucp_try_unpriv --sync --no-preserve=mode src/ m
expect_ok
assert_same_file src/locked/n m/locked/n
[ "$(stat -c %a m/locked)" = 500 ] || fail "--no-preserve=mode: m/locked ended $(stat -c %a m/locked)"

# A directory of the mirror that the source has as a file, in it: the
# directory goes, the file comes (--delete).
chmod u+w src/locked m/locked
mkdir m/locked/x
printf 'in x\n' >m/locked/x/a
printf 'x is a file\n' >src/locked/x
unpriv_own src m
chmod 0500 src/locked m/locked
ucp_try_unpriv --sync --delete src/ m
expect_ok
assert_same_file src/locked/x m/locked/x
[ "$(stat -c %a m/locked)" = 500 ] || fail "after the directory went, m/locked is $(stat -c %a m/locked)"

# A read-only tree the source lost (0500 and 0555 directories, one of them
# unreadable, 0000): --delete removes it whole, as rsync does, a user who
# owns it giving it owner rwx as it goes. Where a rule spares an entry in
# it, the directories that keep it get their modes back.
mkdir -p m/gone/sub/shut m/kept/sub
printf 'a\n' >m/gone/sub/f
printf 'b\n' >m/gone/sub/shut/g
printf 'c\n' >m/kept/sub/f
printf 'spared\n' >m/kept/sub/keepme
unpriv_own m
chmod 0000 m/gone/sub/shut
chmod 0555 m/gone/sub m/kept/sub
chmod 0500 m/gone m/kept
ucp_try_unpriv --sync --delete --exclude=keepme --itemize-changes src/ m
expect_ok
for want in '*deleting   gone/sub/shut/g' '*deleting   gone/' \
	'*deleting   kept/sub/f'; do
	grep -qxF -- "$want" "$T_OUT" || {
		show_last
		fail "not listed: $want"
	}
done
assert_absent m/gone
assert_absent m/kept/sub/f
[ "$(cat m/kept/sub/keepme)" = spared ] || fail "the spared file changed"
[ "$(stat -c %a m/kept/sub)" = 555 ] || fail "spared: m/kept/sub ended $(stat -c %a m/kept/sub), want 555"
[ "$(stat -c %a m/kept)" = 500 ] || fail "spared: m/kept ended $(stat -c %a m/kept), want 500"

# A removal that stops part way (--max-delete) leaves the directories it
# made writable with their modes (0555 became 0755 for good).
mkdir -p m/half/sub
printf '1\n' >m/half/sub/a
printf '2\n' >m/half/sub/b
unpriv_own m
chmod 0555 m/half/sub m/half
ucp_try_unpriv --sync --delete --max-delete=1 --exclude=keepme src/ m
expect_rc 25 "--max-delete stopped the removal"
[ "$(stat -c %a m/half)" = 555 ] || fail "--max-delete: m/half ended $(stat -c %a m/half), want 555"
[ "$(stat -c %a m/half/sub)" = 555 ] || fail "--max-delete: m/half/sub ended $(stat -c %a m/half/sub), want 555"
