#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --link-dest and hard links: a file given more names since the last
# snapshot is linked to its twin in the reference whichever name the walk
# meets first (rsync -H links the group to it); the new names wait for the
# one the reference has, and are not copied. A dry run lists what the run
# does. A group no reference has is copied once, its names linked to that
# copy, also past the number of names that may wait at once (which name
# of a group is the copy may differ between runs then: a dry run lists as
# many copies and links).
# And a user who may not give a file's group to a copy (a root-group file
# in a home directory) still links it, as its mirror takes it as
# unchanged: it is not copied again on every run.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

ino() { stat -c %i "$1"; }

mkdir -p src/g
printf 'group\n' >src/g/n1
for n in 2 3 4 5 6; do
	ln src/g/n1 "src/g/n$n"
done
# The name the walk meets last is the one the reference has: every
# other name comes first, and has no twin there.
last=$(cd src/g && ls -f | grep -v '^\.\.\?$' | tail -n 1)
mkdir one s0
ln "src/g/$last" "one/$last"
ucp_try --sync one/ s0/g/
expect_ok
ucp_try --sync --dry-run --itemize-changes --link-dest=../s0 src/ s2/
expect_ok
dry=$(LC_ALL=C sort "$T_OUT")
ucp_try --sync --itemize-changes --link-dest=../s0 src/ s1/
expect_ok
expect_mirror src s1
[ "$dry" = "$(LC_ALL=C sort "$T_OUT")" ] || {
	diff <(printf '%s\n' "$dry") <(LC_ALL=C sort "$T_OUT") >&2
	fail "the dry run did not list what the run did"
}
for n in 1 2 3 4 5 6; do
	[ "$(ino "s1/g/n$n")" = "$(ino "s0/g/$last")" ] ||
		fail "g/n$n was copied, not linked to its group's twin in the reference"
done

# New groups no reference has: 80 pairs, more than wait at once.
mkdir src/new
for i in $(seq 1 80); do
	printf 'pair %s\n' "$i" >"src/new/a$i"
	ln "src/new/a$i" "src/new/b$i"
done
kinds() { cut -c1-2 "$T_OUT" | LC_ALL=C sort | uniq -c; }
ucp_try --sync --dry-run --itemize-changes --link-dest=../s1 src/ s3/
expect_ok
dry=$(kinds)
ucp_try --sync --itemize-changes --link-dest=../s1 src/ s4/
expect_ok
expect_mirror src s4
[ "$dry" = "$(kinds)" ] ||
	fail "the dry run did not list as many copies and links as the run"
[ "$(grep -c '^>f' "$T_OUT")" = 80 ] || fail "not 80 copies: $(cat "$T_OUT")"
for n in 1 2 3 4 5 6; do
	[ "$(ino "s4/g/n$n")" = "$(ino "s0/g/$last")" ] ||
		fail "g/n$n was copied again"
done
for i in $(seq 1 80); do
	[ "$(ino "s4/new/a$i")" = "$(ino "s4/new/b$i")" ] &&
		[ "$(stat -c %h "s4/new/a$i")" = 2 ] ||
		fail "new/a$i and new/b$i are not one copy of their own"
done

# A user who may not give the source's group: the snapshot's copy has the
# user's, and the next snapshot links to it, as rsync does.
[ "$(id -u)" = 0 ] || exit 0
unpriv_setup
mkdir src
printf 'root group\n' >src/rootgrp
printf 'mine\n' >src/mine
unpriv_own src
chgrp 0 src/rootgrp
ucp_try_unpriv --sync src/ s0/
expect_ok
ucp_try_unpriv --sync --itemize-changes --link-dest=../s0 src/ s1/
expect_ok
for f in rootgrp mine; do
	[ "$(ino "s1/$f")" = "$(ino "s0/$f")" ] ||
		fail "$f was copied again, not linked to the reference's copy"
done
# (Nothing listed: the root is its reference's, the files linked.)
expect_out_empty
