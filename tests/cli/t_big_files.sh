#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Files of 2 MiB and more are handed to an idle worker (cp mode, and in
# --sync those with no twin: a new mirror's, or a first run's into an empty
# directory, ring or thread engine): each arrives whole, and is listed once
# by --itemize-changes; a hard-link group stays one inode, a second copy
# replaces them, -n leaves them alone and a later --sync hands nothing over;
# a file below the size stays with the worker that found it. UCP_TEST_HAND_OVER makes each big file wait
# for an idle worker, so that every one is handed over (--debug says so).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks
export UCP_TEST_HAND_OVER=1

mib=$((1024 * 1024))
mkdir src
for n in $((2 * mib)) $((3 * mib + 17)) $((5 * mib + 1)) $((8 * mib)); do
	head -c "$n" /dev/urandom >"src/big_$n"
done
head -c $((2 * mib - 1)) /dev/urandom >src/below
mkdir links
head -c $((4 * mib)) /dev/urandom >links/a
ln links/a links/b
mkdir -p links_in/sub
cp -p links/a links_in/sub/a
ln links_in/sub/a links_in/sub/b

handed() { grep -c "handed over" "$T_OUT" || true; }

ucp_try -r -j 2 --debug -v src dst
expect_ok
cmp_trees src dst
# (One directory: the other worker has nothing else to do.)
[ "$(handed)" = 4 ] || fail "expected 4 files handed over, saw $(handed)"
grep "handed over" "$T_OUT" | grep -q "src/below'" && fail "a file below 2 MiB was handed over"

# -a: the link group is one inode in the copy, whoever copied which name.
ucp_try -a -j 2 links links_a
expect_ok
cmp_trees links links_a
[ "$(stat -c %i links_a/a)" = "$(stat -c %i links_a/b)" ] ||
	fail "-a: the hard-link group was split"

# The first --sync builds a new mirror: its big files are handed over too,
# each listed once; a link group stays one inode, one name copied and the
# other linked to it.
ucp_try --sync -j 2 --debug -v --itemize-changes src mirror
expect_ok
cmp_trees src mirror
[ "$(handed)" = 4 ] || fail "--sync: expected 4 files handed over, saw $(handed)"
for f in big_$((2 * mib)) big_$((3 * mib + 17)) big_$((5 * mib + 1)) big_$((8 * mib)) below; do
	n=$(grep -c "^>f+++++++++ $f\$" "$T_OUT" || true)
	[ "$n" = 1 ] || fail "--sync: $f listed $n times"
done
ucp_try --sync -j 2 --itemize-changes links links_s
expect_ok
cmp_trees links links_s
[ "$(stat -c %i links_s/a)" = "$(stat -c %i links_s/b)" ] ||
	fail "--sync: the hard-link group was split"
[ "$(grep -c '^>f+++++++++ [ab]$' "$T_OUT")" = 1 ] &&
	[ "$(grep -Ec '^hf\+{9} (a => b|b => a)$' "$T_OUT")" = 1 ] ||
	fail "--sync: the link group was not listed as one copy and one link"

# A first --sync into a destination that exists, empty: the files have no
# twin, so the big ones are handed over too, each through a temporary of
# its own; with the ring and with the thread engine. A link group in a
# directory the run makes stays one inode.
for eng in auto threads; do
	mkdir "empty_$eng"
	ucp_try --sync -j 2 --engine="$eng" --debug -v --itemize-changes \
		src/ "empty_$eng"
	expect_ok
	cmp_trees src "empty_$eng"
	[ "$(handed)" = 4 ] ||
		fail "--sync --engine=$eng into an empty directory: expected 4 files handed over, saw $(handed)"
	for f in big_$((2 * mib)) big_$((3 * mib + 17)) big_$((5 * mib + 1)) big_$((8 * mib)) below; do
		n=$(grep -c "^>f+++++++++ $f\$" "$T_OUT" || true)
		[ "$n" = 1 ] || fail "--sync --engine=$eng: $f listed $n times"
	done
	assert_no_tmp "empty_$eng"
	mkdir "links_$eng"
	ucp_try --sync -j 2 --engine="$eng" --itemize-changes links_in/ "links_$eng"
	expect_ok
	cmp_trees links_in "links_$eng"
	[ "$(stat -c %i "links_$eng/sub/a")" = "$(stat -c %i "links_$eng/sub/b")" ] ||
		fail "--sync --engine=$eng: the hard-link group was split"
	[ "$(grep -c '^>f+++++++++ sub/[ab]$' "$T_OUT")" = 1 ] &&
		[ "$(grep -Ec '^hf\+{9} (sub/a => sub/b|sub/b => sub/a)$' "$T_OUT")" = 1 ] ||
		fail "--sync --engine=$eng: the link group was not listed as one copy and one link"
done

# Again over the first copy, with new contents: every file replaced.
for f in src/big_*; do
	head -c "$(stat -c %s "$f")" /dev/urandom >"$f"
done
ucp_try -rT -j 2 src dst
expect_ok
cmp_trees src dst
# A mirror that exists: each changed file stays with its comparer.
ucp_try --sync -j 2 --debug -v src mirror
expect_ok
cmp_trees src mirror
[ "$(handed)" = 0 ] || fail "a later --sync handed over $(handed) files"

# -n keeps what is there: nothing handed over is copied.
for f in src/big_*; do
	head -c 4096 /dev/urandom | dd of="$f" conv=notrunc status=none
done
ucp_try -rT -n -j 2 --debug -v src dst
expect_ok
[ "$(handed)" = 0 ] || fail "-n copied $(handed) files"
for f in src/big_*; do
	cmp -s "$f" "dst/${f#src/}" && fail "-n replaced ${f#src/}"
done
assert_no_tmp dst
