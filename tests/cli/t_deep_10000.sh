#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A tree 10,000 directories deep (paths of 20,000 bytes) copies with -a
# without overflowing a stack or the descriptor limit: every level and the
# file at the bottom arrive, with their modes.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

levels=10000
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -gt $((levels + 200)) ] ||
	skip "the descriptor limit ($(ulimit -Hn)) is below one per level"
command -v perl >/dev/null || skip "perl not installed (used to build the tree)"
mkdir src
# A shell's cd gets slower with every level; perl's chdir does not.
perl -e 'chdir "src" or die; for (1 .. $ARGV[0]) { mkdir "d" or die; chdir "d" or die }
	open my $f, ">", "f" or die; print $f "bottom\n"; close $f; chmod 0600, "f"' "$levels"

ucp_try -a src dst
expect_ok
n=$(find dst -type d | wc -l)
[ "$n" = $((levels + 1)) ] || fail "expected $((levels + 1)) directories, found $n"
bottom=$(find dst -type f)
[ "$(printf '%s' "$bottom" | tr -cd / | wc -c)" = $((levels + 1)) ] ||
	fail "the file is not at the bottom"
[ "$(find dst -type f -name f -perm 600 | wc -l)" = 1 ] || fail "file mode lost"
[ "$(find dst -type f -execdir cat {} +)" = bottom ] || fail "file content lost"
