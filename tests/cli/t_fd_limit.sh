#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Under a descriptor limit of 256, nothing is lost for want of descriptors:
# a 2,000-level tree copies with -r and -a, mirrors with --sync and
# --sync --delete, snapshots with three --link-dest, and goes through
# --tar and --untar; a wide tree copies
# with -j 64 (more jobs than the limit can hold: -j is reduced with a
# notice). Every run exits 0 and the trees compare equal.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

limit=256
levels=2000
command -v perl >/dev/null || skip "perl not installed (used to build the tree)"
(ulimit -n "$limit") 2>/dev/null || skip "cannot set the descriptor limit to $limit"

# ucp_low ARG...: ucp_try with the descriptor limit at $limit.
ucp_low() {
	ucp_try_nofile "$limit" "$@"
}

# 2,000 levels, a file at every tenth one (paths stay under PATH_MAX, so
# that find and sha256sum can read them).
mkdir deep
perl -e 'chdir "deep" or die; for my $i (1 .. $ARGV[0]) { mkdir "d" or die; chdir "d" or die;
	next if $i % 10; open my $f, ">", "f" or die; print $f "level $i\n"; close $f }' "$levels"

ucp_low -r deep r
expect_ok
cmp_trees deep r

ucp_low -a deep a
expect_ok
cmp_trees deep a
expect_mirror deep a

# The progress display's counting walk runs beside the copy.
ucp_low --progress -r deep p
expect_ok
cmp_trees deep p

# --sync into a fresh mirror, then --sync --delete after the source lost
# its lower half (and a file high up).
ucp_low --sync deep s
expect_ok
expect_mirror deep s
perl -e 'chdir "deep" or die; for (1 .. $ARGV[0]) { chdir "d" or die }
	system("rm", "-rf", "d") == 0 or die' $((levels / 2))
rm deep/d/d/d/d/d/d/d/d/d/d/f
ucp_low --sync deep s
expect_ok
[ "$(find s -type d | wc -l)" = $((levels + 1)) ] || fail "--sync without --delete deleted"
ucp_low --sync --delete deep s
expect_ok
expect_mirror deep s

# Snapshots with --link-dest (three references, the most recent first):
# each file of the deep tree becomes a link to its twin in a snapshot.
ucp_low --sync deep snap1
expect_ok
cp -a snap1 snap2
cp -a snap1 snap3
ucp_low --sync --link-dest=../snap3 --link-dest=../snap2 --link-dest=../snap1 deep snap4
expect_ok
expect_mirror deep snap4
n=$(find snap4 -type f -links 2 | wc -l)
[ "$n" = "$(find deep -type f | wc -l)" ] && [ "$n" -gt 0 ] ||
	fail "--link-dest: $n files of $(find deep -type f | wc -l) linked to a snapshot"
f=$(find snap4 -type f | head -n 1)
[ "$(stat -c %i "$f")" = "$(stat -c %i "snap3/${f#snap4/}")" ] ||
	fail "--link-dest: not linked to the first reference"

# --tar to a file, then --untar of it.
ucp_low --tar deep deep.tar
expect_ok
mkdir x
ucp_low --untar deep.tar x
expect_ok
cmp_trees deep x/deep

# A wide tree with more jobs than the limit can hold.
mk_many wide 4000
for i in $(seq 40 199); do mkdir "wide/g$i" && printf 'x%d\n' "$i" >"wide/g$i/f"; done
ucp_low -r -j 64 wide w
expect_ok
expect_err_has "-j"
cmp_trees wide w
ucp_low --sync -j 64 wide ws
expect_ok
expect_mirror wide ws
rm -r wide/g1 wide/g50
ucp_low --sync --delete -j 64 wide ws
expect_ok
expect_mirror wide ws

# --tar of a tree with a file at every level under a limit of 24: the
# walker reopens the directories it parked within its budget (it opened
# them past it, and one it could not reopen lost the rest of every
# directory above it).
# (Names of every kind of hash, so that in many directories files are
# listed after the subdirectory, which the walker then comes back to.)
perl -e 'mkdir "every" and chdir "every" or die;
	for my $i (1 .. 300) { for my $n ("a", "m", "z") {
	open(my $f, ">", $n) or die; print $f "$i\n"; close $f; }
	mkdir "d$i" or die; chdir "d$i" or die; }'
ucp_try_nofile 24 --tar every every.tar
expect_ok
[ "$(tar -tf every.tar | wc -l)" = 1201 ] ||
	fail "--tar under a limit of 24 lost entries: $(tar -tf every.tar | wc -l) of 1201"

# The notice that -j was reduced is about no path: its JSON "path" is
# null, as ucp(1) says of such messages.
rm -rf jdst
ucp_try_nofile 24 -j 64 -r --progress=json every jdst
expect_ok
grep -q '"op":"jobs_reduced","path":null,' "$T_ERR" ||
	fail "the jobs_reduced notice has no null path: $(grep jobs_reduced "$T_ERR")"
