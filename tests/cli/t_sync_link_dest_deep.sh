#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --link-dest finds the twins of files deeper than PATH_MAX: a tree of 300
# levels of 20-character names (paths of over 6,000 bytes), a file every
# 30 levels; a snapshot of it links every file to the reference's.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v perl >/dev/null || skip "perl not installed (used to build the tree)"
levels=300

mkdir deep
perl -e 'chdir "deep" or die; for my $i (1 .. $ARGV[0]) { my $n = sprintf "level%015d", $i;
	mkdir $n or die; chdir $n or die; next if $i % 30;
	open my $f, ">", "f" or die; print $f "level $i\n"; close $f }' "$levels"
total=$(find deep -type f | wc -l)
[ "$total" = $((levels / 30)) ] || fail "the tree has $total files"

ucp_try --sync deep ref
expect_ok
ucp_try --sync --itemize-changes --link-dest=../ref deep snap
expect_ok
n=$(find snap -type f -links 2 | wc -l)
[ "$n" = "$total" ] || fail "$n of $total files linked to the reference"
if grep -q '^>f' "$T_OUT"; then
	fail "$(grep -c '^>f' "$T_OUT") files copied, not linked"
fi

# Under a low limit on open files: each reference directory costs a
# worker's chain of descriptors into it. Below what that needs the run is
# refused before it starts (it failed partway with "Too many open files",
# where plain --sync works); at it, the snapshot is whole.
(ulimit -n 20) 2>/dev/null || skip "cannot set the descriptor limit to 20"
ucp_try_nofile 20 --sync --link-dest=../ref deep low
expect_rc 1
expect_err_line "ucp: the limit of 20 open files is too low: ucp needs 26 (16, and 10 for each --link-dest or --reflink-dest directory) (ulimit -n)"
assert_absent low
ucp_try_nofile 20 --sync deep plain
expect_ok
ucp_try_nofile 26 --sync --link-dest=../ref deep low
expect_ok
n=$(find low -type f -links 3 | wc -l)
[ "$n" = "$total" ] || fail "under a limit of 26: $n of $total files linked to the reference"
