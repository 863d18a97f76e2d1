#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync --delete --itemize-changes lists what goes and names the
# directories kept for what the rules spare, however the spared entry is
# reached: at the bottom of a 3,000-level extraneous tree (deeper than any
# fixed table), and as a directory the user cannot read, which a
# directory rule spares (as an unprivileged user).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v perl >/dev/null || skip "perl not installed (used to build the tree)"
levels=3000

mkdir -p src/a dst/a dst/old
echo a >src/a/f
cp -p src/a/f dst/a/f
perl -e 'chdir "dst/old" or die; for (1 .. $ARGV[0]) { mkdir "a" or die; chdir "a" or die }
	open my $f, ">", "keep.conf" or die; close $f' "$levels"
before=$(find dst | wc -l)

ucp_try --sync --delete --itemize-changes --exclude=keep.conf src/ dst
expect_ok
[ "$(find dst | wc -l)" = "$before" ] || fail "entries of the spared chain went"
if grep -q '^\*deleting' "$T_OUT"; then
	grep '^\*deleting' "$T_OUT" | head -n 3 | cut -c 1-120 >&2
	fail "$(grep -c '^\*deleting' "$T_OUT") entries listed as deleted, none went"
fi
n=$(grep -c '^cannot delete non-empty directory: old' "$T_OUT" || true)
[ "$n" = $((levels + 1)) ] ||
	fail "expected $((levels + 1)) directories said to be kept, saw $n"

# A directory that cannot be read, spared by a directory rule.
unpriv_setup
mkdir -p s/a d/a d/old/cache
echo a >s/a/f
cp -p s/a/f d/a/f
echo x >d/old/cache/x
echo j >d/old/junk
unpriv_own s d
chmod 000 d/old/cache
ucp_try_unpriv --sync --delete --itemize-changes --exclude=cache/ s/ d
chmod 755 d/old/cache
expect_ok
[ -e d/old/cache/x ] || fail "the spared directory went"
[ ! -e d/old/junk ] || fail "old/junk stayed"
expect_out_line "*deleting   old/junk"
expect_out_line "cannot delete non-empty directory: old"
if grep -q 'cache' "$T_OUT"; then
	show_last
	fail "the spared directory was listed"
fi

# An entry deep in a doomed tree that cannot go (its directory is
# another's, root's, which the user may not write, nor make writable as
# it does its own): the message names it, not the top of the tree.
if [ "$(id -u)" = 0 ]; then
	rm -rf s d
	mkdir -p s/u d/u/gone/sub
	touch d/u/gone/sub/f d/u/gone/g
	unpriv_own s d
	chown 0:0 d/u/gone/sub
	ucp_try_unpriv --sync --delete s/ d
	expect_rc 1 "an entry that cannot be deleted"
	expect_err_line "ucp: cannot delete 'd/u/gone/sub/f': Permission denied"
fi
