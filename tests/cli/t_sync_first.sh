#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A first --sync into a DST that does not exist builds it as
# .DST.ucp-partial beside it and renames it when the run is complete: an
# interrupted run leaves no DST at all, and the next run goes on with the
# partial tree (fixing or removing what it holds) and then renames it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 3000
mk_file src/big $((32 << 20))
ln src/g0/f1 src/g1/hard
ln -s g0/f1 src/link
chmod 0750 src/g2
touch -d '2001-02-03 04:05:06.789' src/g2 src

mkdir out
# A complete first run: DST is the mirror, nothing else is left, and every
# entry is itemized as new.
ucp_try --sync --itemize-changes src out/dst/
expect_ok
expect_mirror src out/dst
assert_absent out/.dst.ucp-partial
[ "$(find out -mindepth 1 -maxdepth 1 | wc -l)" = 1 ] || fail "more than dst in out/"
[ "$(stat -c %i out/dst/g0/f1)" = "$(stat -c %i out/dst/g1/hard)" ] ||
	fail "hard link not kept"
[ "$(grep -c '^[>h]f+++++++++ ' "$T_OUT")" = "$(find src -type f | wc -l)" ] ||
	{ show_last; fail "not every file itemized as new"; }
# One name of the hard-linked pair is copied, the other linked to it
# (" => " the first, as rsync -aHi prints it).
[ "$(grep -Ec '^hf\+{9} (g0/f1 => g1/hard|g1/hard => g0/f1)$' "$T_OUT")" = 1 ] ||
	{ show_last; fail "hard link not itemized as one, with its first name"; }
grep -qx 'cd+++++++++ ./' "$T_OUT" || { show_last; fail "root not itemized"; }
grep -qx 'cL+++++++++ link -> g0/f1' "$T_OUT" || { show_last; fail "symlink not itemized as rsync does (with its target)"; }
# --dry-run into a missing DST creates nothing at all, and lists what the
# run would make, the link as a link (as rsync -n does).
ucp_try --sync --dry-run --itemize-changes src out/dry
expect_ok
assert_absent out/dry out/.dry.ucp-partial
[ "$(grep -c '^[>h]f+++++++++ ' "$T_OUT")" = "$(find src -type f | wc -l)" ] ||
	{ show_last; fail "--dry-run: not every file itemized as new"; }
[ "$(grep -Ec '^hf\+{9} (g0/f1 => g1/hard|g1/hard => g0/f1)$' "$T_OUT")" = 1 ] ||
	{ show_last; fail "--dry-run: hard link not itemized as one, with its first name"; }

# Without --delete, temporaries that a killed run left are still removed
# (their directory kept the time their creation gave it), also deep down,
# and the directory gets the source's time back.
: >out/dst/g7/.ucp-00000002deadbeef.tmp
: >out/dst/.ucp-00000003deadbeef.tmp
ucp_try --sync src out/dst
expect_ok
expect_mirror src out/dst

# A partial tree left by a crash: an incomplete file under its final name,
# a file the source no longer has, a temporary of the dead run.
mkdir -p out/.resumed.ucp-partial/g0
head -c 100 src/big >out/.resumed.ucp-partial/big
printf 'gone\n' >out/.resumed.ucp-partial/g0/extra
: >out/.resumed.ucp-partial/.ucp-00000001deadbeef.tmp
ucp_try --sync --delete src out/resumed
expect_ok
expect_mirror src out/resumed
assert_absent out/.resumed.ucp-partial

# The same resumed with -u or --ignore-existing: the cut file is the dead
# run's own copy, newer than the source, not one of the user's to keep.
for opt in -u --ignore-existing; do
	rm -rf out/r out/.r.ucp-partial
	mkdir -p out/.r.ucp-partial
	head -c 100 src/big >out/.r.ucp-partial/big
	ucp_try --sync "$opt" src out/r
	expect_ok
	cmp -s src/big out/r/big || fail "--sync $opt kept the cut file of a dead run"
done

# Interrupted first runs (stopped after 500 of the 3,003 files, then
# signalled): no DST, only the partial tree; the next run finishes the
# mirror.
for sig in KILL INT TERM; do
	rm -rf out/k out/.k.ucp-partial
	stop_run "$sig" 500 --sync src out/k
	case $sig in
	KILL) expect_rc 137 "after SIGKILL" ;;
	INT) expect_rc 130 "after SIGINT" ;;
	TERM) expect_rc 143 "after SIGTERM" ;;
	esac
	assert_absent out/k
	assert_present out/.k.ucp-partial
	ucp_try --sync src out/k
	expect_ok
	expect_mirror src out/k
	assert_absent out/.k.ucp-partial
done
