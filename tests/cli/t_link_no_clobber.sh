#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Hard links kept (-a) with -n, --update=none or -i: a name of a source
# hard-link group that exists in the destination is kept, as cp keeps it,
# whichever name comes first. Before, a later name replaced it with a link
# to the group's copy (the kept file lost), or the kept file was taken for
# the group's copy and the new name linked to it (the new name got the old
# data). Now the kept file is no copy: the next name makes one.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'new\n' >f1
ln f1 f2

# case OPTION EXISTING: the destination has EXISTING (f1 or f2) with other
# data; ucp -a OPTION f1 f2 d/ keeps it and copies the other.
case_kept() {
	local opt=$1 there=$2 other
	other=$([ "$there" = f1 ] && echo f2 || echo f1)
	rm -rf d
	mkdir d
	printf 'precious\n' >"d/$there"
	ucp_try -a "$opt" -j 1 f1 f2 d/ </dev/null
	if [ "$opt" = -i ]; then
		expect_rc 1 "-i, $there there"
		expect_err_line "ucp: not replacing 'd/$there': standard input is not a terminal to ask on"
	else
		expect_ok "$opt, $there there"
	fi
	[ "$(cat "d/$there")" = precious ] || fail "$opt: d/$there was replaced"
	[ "$(cat "d/$other")" = new ] || fail "$opt: d/$other has '$(cat "d/$other")', not the source's data"
	[ "$(stat -c %h "d/$there")" = 1 ] || fail "$opt: d/$there was linked to the copy"
}

for opt in -n --update=none -i; do
	case_kept "$opt" f1
	case_kept "$opt" f2
done

# The same for a group copied with syscalls (a big file, a sparse one) and
# for one of FIFOs: the kept name is no copy, the other is made anew.
mkdir -p big
head -c 3000000 /dev/urandom >big/a
ln big/a big/b
truncate -s 10M big/s1
ln big/s1 big/s2
mkfifo big/p1
ln big/p1 big/p2
for there in a b; do
	rm -rf d
	mkdir d
	printf 'precious\n' >"d/$there"
	printf 'precious\n' >d/s1
	printf 'precious\n' >d/p1
	ucp_try -a -n -T big d
	expect_ok "-n, big group, $there there"
	other=$([ "$there" = a ] && echo b || echo a)
	[ "$(cat "d/$there")" = precious ] || fail "d/$there was replaced"
	cmp big/a "d/$other" || fail "d/$other: not the source's data"
	[ "$(stat -c %h "d/$there")" = 1 ] || fail "d/$there was linked to the copy"
	[ "$(cat d/s1)" = precious ] || fail "d/s1 was replaced"
	cmp big/s2 d/s2 || fail "d/s2: not the source's data"
	[ -p d/p2 ] || fail "d/p2 is no FIFO: $(stat -c %F d/p2)"
	[ -f d/p1 ] && [ "$(cat d/p1)" = precious ] || fail "d/p1 was replaced"
done

# Without them, both names are one copy, as before.
rm -rf d
mkdir d
printf 'old\n' >d/f1
ucp_try -a f1 f2 d/
expect_ok
[ "$(stat -c %i d/f1)" = "$(stat -c %i d/f2)" ] || fail "-a: the names were not linked"
[ "$(cat d/f1)" = new ] || fail "-a: d/f1 was not replaced"

# Hard-linked operands, FIFOs and regular files (an operand's directory
# counts no users of its source descriptor: taking one and giving it back
# closed it under the copy, "Bad file descriptor").
rm -rf ops
mkdir -p ops/d ops/d2
mkfifo ops/p1
ln ops/p1 ops/p2
printf 'r\n' >ops/r1
ln ops/r1 ops/r2
ucp_try -a ops/p1 ops/p2 ops/r1 ops/r2 ops/d/
expect_ok "hard-linked operands"
[ -p ops/d/p1 ] && [ "$(stat -c %i ops/d/p1)" = "$(stat -c %i ops/d/p2)" ] ||
	fail "the FIFO operands are not one FIFO"
[ "$(stat -c %i ops/d/r1)" = "$(stat -c %i ops/d/r2)" ] || fail "the file operands are not linked"
ucp_try -a --attributes-only ops/r1 ops/r2 ops/d2/
expect_ok "hard-linked operands, --attributes-only"
