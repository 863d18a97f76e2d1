#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync --delete of a directory the source lacks spares what the rules
# spare inside it, beside rsync -a --delete on the same trees: an excluded
# (or protected) file deep in an extraneous directory stays, with the
# directories above it; the rest of it goes; --delete-excluded takes the
# excluded ones too, but not the protected ones.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
command -v rsync >/dev/null || skip "rsync not installed"

mkdir -p src/a
echo a >src/a/f

# The destination: a mirror of src plus extraneous trees.
mk_dst() {
	rm -rf "$1"
	mkdir -p "$1/a" "$1/old/sub/deeper" "$1/old2/x" "$1/old3/sub/deep"
	echo a >"$1/a/f"
	for f in old/keep.conf old/junk.txt old/sub/keep.conf old/sub/junk \
		old/sub/deeper/keep.conf old2/x/junk old3/sub/deep/junk \
		a/keep.conf a/junk; do
		echo "$f" >"$1/$f"
	done
}

# Names and types left, one per line.
listing() { (cd "$1" && find . -mindepth 1 -printf '%y %P\n' | LC_ALL=C sort); }

# run_case N RULE...: the same rules to rsync and ucp, trees compared.
run_case() {
	local n=$1
	shift
	mk_dst "r$n"
	rsync -a --delete "$@" src/ "r$n/" 2>/dev/null || fail "rsync failed with $*"
	mk_dst "u$n"
	ucp_try --sync --delete "$@" src "u$n"
	expect_ok
	[ "$(listing "r$n")" = "$(listing "u$n")" ] || {
		diff <(listing "r$n") <(listing "u$n") >&2 || true
		fail "--delete $*: ucp and rsync left different trees (< rsync, > ucp)"
	}
}

run_case 1 --exclude=keep.conf
run_case 2 --delete-excluded --exclude=keep.conf
run_case 3 "--filter=P keep.conf"
run_case 4 --delete-excluded "--filter=P keep.conf" "--exclude=junk*"
run_case 5 --exclude=sub/
# The first case keeps files deep inside: the test can tell.
[ -f u1/old/sub/deeper/keep.conf ] || fail "the spared file is gone"
[ ! -e u1/old2 ] || fail "an extraneous tree without spared files stayed"
