#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Extracting over an existing tree, beside GNU tar -x on the same archive
# and the same starting tree: a member replaces a file or symlink in its
# place (never written through the symlink), a directory member merges
# into a directory and replaces a file, a file member never replaces a
# directory (an error naming it, exit 1; the other members extracted). A
# file that replaces one goes through a temporary, renamed when whole.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
command -v tar >/dev/null || skip "GNU tar not installed"

mkdir -p src/d src/was_file src/blocked
echo new-f >src/f
echo new-l >src/l
echo in-d >src/d/x
echo in-was-file >src/was_file/y
echo blocked-member >src/blocked_by_dir
ucp_try --tar src a.tar
expect_ok

# The same starting tree for both extractors.
start() {
	rm -rf "$1" outside
	mkdir -p "$1/src/d" "$1/src/blocked_by_dir" outside
	echo old-f >"$1/src/f"
	echo outside >outside/target
	ln -s "$PWD/outside/target" "$1/src/l"
	echo old-keep >"$1/src/d/keep"
	echo a-file >"$1/src/was_file"
	echo dir-content >"$1/src/blocked_by_dir/z"
}

start gnu
RC_GNU=0
tar -xf a.tar -C gnu 2>/dev/null || RC_GNU=$?
gnu_outside=$(cat outside/target)
gnu_state=$(tree_state gnu)

start mine
ucp_try --untar a.tar mine
expect_rc 1 "a file member over a directory"
expect_err_has "'src/blocked_by_dir': Is a directory"
[ "$(grep -c '^ucp: ' "$T_ERR")" = 1 ] || fail "expected one error"
[ "$RC_GNU" != 0 ] || fail "GNU tar accepted a file over a directory"
[ "$(cat outside/target)" = outside ] || fail "ucp wrote through a symlink"
[ "$gnu_outside" = outside ] || fail "GNU tar wrote through a symlink"
mine_state=$(tree_state mine)
# Times of what was extracted differ between the runs; compare the rest.
strip() { awk -F '\t' 'BEGIN { OFS = "\t" } NF > 2 { $6 = "-" } { print }'; }
[ "$(strip <<<"$gnu_state")" = "$(strip <<<"$mine_state")" ] || {
	diff <(strip <<<"$gnu_state") <(strip <<<"$mine_state") >&2 || true
	fail "ucp --untar and tar -x left different trees (< tar, > ucp)"
}
[ "$(cat mine/src/d/keep)" = old-keep ] || fail "the merged directory lost a file"
[ "$(cat mine/src/l)" = new-l ] && [ ! -L mine/src/l ] || fail "the symlink was not replaced"
[ -d mine/src/was_file ] || fail "the file was not replaced by the directory"

# A file that replaces one is written under a temporary name and renamed
# over it once whole: an archive cut short in that member leaves the old
# file as it was, and no temporary.
rm -rf rp
mkdir -p rp/src rp/dst
head -c 3000000 /dev/urandom >rp/src/big
tar -C rp/src -cf rp/full.tar big
head -c 1000000 rp/full.tar >rp/cut.tar
printf 'old contents\n' >rp/dst/big
ucp_try --untar rp/cut.tar rp/dst
expect_rc 1 "an archive cut in the member that replaces a file"
[ "$(cat rp/dst/big)" = "old contents" ] || fail "the old file was lost to a cut member"
assert_no_tmp rp/dst
ucp_try --untar rp/full.tar rp/dst
expect_ok
cmp rp/src/big rp/dst/big || fail "the whole member did not replace the old file"
assert_no_tmp rp/dst
