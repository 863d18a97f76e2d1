#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync --delete of a directory the source lacks spares what the rules
# spare inside it, beside rsync -a --delete on the same trees: an excluded
# (or protected) file deep in an extraneous directory stays, with the
# directories above it; the rest of it goes; --delete-excluded takes the
# excluded ones too, but not the protected ones. The rules of merge files
# (-F) of the directories above it count too, anchored where they are. --itemize-changes lists
# exactly what goes, with --dry-run too, and says "cannot delete non-empty
# directory" for each directory kept, as rsync does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
command -v rsync >/dev/null || skip "rsync not installed"

mkdir -p src/a
echo a >src/a/f
# Per-directory rules, used with -F only: anchored at the root, and at a/.
printf -- '- /old/sub/\n' >src/.rsync-filter
printf -- '- /gone/keep.conf\n' >src/a/.rsync-filter

# The destination: a mirror of src plus extraneous trees.
mk_dst() {
	rm -rf "$1"
	mkdir -p "$1/a/gone" "$1/old/sub/deeper" "$1/old2/x" "$1/old3/sub/deep"
	echo a >"$1/a/f"
	cp -p src/.rsync-filter "$1/"
	cp -p src/a/.rsync-filter "$1/a/"
	for f in old/keep.conf old/junk.txt old/sub/keep.conf old/sub/junk \
		old/sub/deeper/keep.conf old2/x/junk old3/sub/deep/junk \
		a/keep.conf a/junk a/gone/keep.conf a/gone/junk; do
		echo "$f" >"$1/$f"
	done
}

# Names and types left, one per line.
listing() { (cd "$1" && find . -mindepth 1 -printf '%y %P\n' | LC_ALL=C sort); }

# Paths of a tree, directories with a '/', as --itemize-changes names them.
paths() {
	(cd "$1" && find . -mindepth 1 \( -type d -printf '%P/\n' \) -o -printf '%P\n') |
		LC_ALL=C sort
}

# What --itemize-changes said was deleted, and the directories it kept.
deleted() { sed -n 's/^\*deleting   //p' "$T_OUT" | LC_ALL=C sort; }
kept() { sed -n 's/^cannot delete non-empty directory: //p' "$T_OUT"; }

# run_case N RULE...: the same rules to rsync and ucp, trees compared;
# --itemize-changes lists exactly what went (and, with --dry-run, what
# would go), and names each extraneous directory kept for what it holds.
run_case() {
	local n=$1 gone d
	shift
	mk_dst "r$n"
	rsync -a --delete "$@" src/ "r$n/" 2>/dev/null || fail "rsync failed with $*"
	mk_dst "b$n"
	mk_dst "n$n"
	ucp_try --sync --delete --dry-run --itemize-changes "$@" src/ "n$n"
	expect_ok
	[ "$(paths "n$n")" = "$(paths "b$n")" ] || fail "--dry-run $*: changed the tree"
	local dry_deleted dry_kept
	dry_deleted=$(deleted)
	dry_kept=$(kept)
	mk_dst "u$n"
	ucp_try --sync --delete --itemize-changes "$@" src/ "u$n"
	expect_ok
	[ "$(listing "r$n")" = "$(listing "u$n")" ] || {
		diff <(listing "r$n") <(listing "u$n") >&2 || true
		fail "--delete $*: ucp and rsync left different trees (< rsync, > ucp)"
	}
	gone=$(LC_ALL=C comm -23 <(paths "b$n") <(paths "u$n"))
	[ "$(deleted)" = "$gone" ] || {
		diff <(echo "$gone") <(deleted) >&2 || true
		fail "--delete $*: --itemize-changes did not list what went (< gone, > listed)"
	}
	[ "$dry_deleted" = "$gone" ] ||
		fail "--delete --dry-run $*: listed $(echo "$dry_deleted" | wc -l) entries, not what a run deletes"
	[ "$dry_kept" = "$(kept)" ] ||
		fail "--delete --dry-run $*: kept other directories than a run"
	while read -r d; do
		[ -z "$d" ] && continue
		[ -d "u$n/$d" ] || fail "--delete $*: said it kept $d, which is gone"
		[ ! -e "src/$d" ] || fail "--delete $*: $d is not extraneous"
	done <<<"$(kept)"
}

run_case 1 --exclude=keep.conf
# (The directories above the spared files are said to be kept.)
[ "$(kept | LC_ALL=C sort | tr '\n' ' ')" = "a/gone old old/sub old/sub/deeper " ] ||
	fail "expected a/gone, old, old/sub and old/sub/deeper kept, saw: $(kept | tr '\n' ' ')"
run_case 2 --delete-excluded --exclude=keep.conf
run_case 3 "--filter=P keep.conf"
run_case 4 --delete-excluded "--filter=P keep.conf" "--exclude=junk*"
run_case 5 --exclude=sub/
run_case 6 -F
[ -f u6/old/sub/junk ] && [ -f u6/a/gone/keep.conf ] ||
	fail "-F: what the merge files above an extraneous directory spare went"
[ ! -e u6/a/gone/junk ] && [ ! -e u6/old3/sub ] ||
	fail "-F: an anchored rule spared what it does not name"
run_case 7 -FF
run_case 8 -F --exclude=keep.conf
# The first case keeps files deep inside: the test can tell.
[ -f u1/old/sub/deeper/keep.conf ] || fail "the spared file is gone"
[ ! -e u1/old2 ] || fail "an extraneous tree without spared files stayed"

# A merge file only the destination has is read before it goes (it sorts
# before most names of its directory), and -FF's excluded merge files are
# not taken from the source by a dry run either: both beside rsync, the
# dry run's listing the real run's.
mkdir -p s9/a
echo a >s9/a/f
mk9() {
	rm -rf "$1"
	mkdir -p "$1/a/gone"
	echo a >"$1/a/f"
	echo k >"$1/a/gone/keep.conf"
	echo j >"$1/a/gone/junk"
	[ -z "${2-}" ] || printf -- '- /gone/keep.conf\n' >"$1/a/.rsync-filter"
}
for opts in -F -FF; do
	for own in dst src; do
		rm -f s9/a/.rsync-filter
		[ "$own" = dst ] || printf -- '- /gone/keep.conf\n' >s9/a/.rsync-filter
		mk9 r9 "$([ "$own" = dst ] && echo 1)"
		# (ucp deletes after the copy, as rsync's --delete-after.)
		rsync -a --delete-after "$opts" s9/ r9/ 2>/dev/null ||
			fail "rsync $opts failed"
		mk9 n9 "$([ "$own" = dst ] && echo 1)"
		ucp_try --sync --delete --dry-run --itemize-changes "$opts" s9/ n9
		expect_ok
		dry=$(deleted)
		mk9 u9 "$([ "$own" = dst ] && echo 1)"
		ucp_try --sync --delete --itemize-changes "$opts" s9/ u9
		expect_ok
		[ "$(listing r9)" = "$(listing u9)" ] || {
			diff <(listing r9) <(listing u9) >&2 || true
			fail "$opts, merge file in $own: ucp and rsync left different trees"
		}
		[ "$dry" = "$(deleted)" ] ||
			fail "$opts, merge file in $own: the dry run listed other deletions"
	done
done
