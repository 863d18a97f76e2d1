#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Running out of space gives exit 1 and "No space left on device", and leaves
# no partial or temporary file: each file in the destination is complete.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "mounting a small tmpfs needs root"
mkdir mnt
mount -t tmpfs -o size=2m tmpfs mnt 2>/dev/null || skip "cannot mount a tmpfs here"
trap 'umount mnt 2>/dev/null || umount -l mnt' EXIT

mk_file big $((3 << 20))
ucp_try big mnt/big
expect_rc 1 "single file larger than the filesystem"
expect_err_line "ucp: cannot write 'mnt/big': No space left on device"
assert_absent mnt/big
assert_no_tmp mnt

mkdir src
for i in 1 2 3 4 5 6; do
	mk_file "src/part$i" 600000
done
for i in 1 2 3 4 5 6 7 8 9; do
	mk_file "src/small$i" 1000
done
ucp_try -r src mnt/
expect_rc 1 "tree larger than the filesystem"
expect_err_has "No space left on device"
# One error names the file the run stopped at; a last line says that the
# files after it were left out too (they have no error of their own, nor
# have those in flight that met the full disk after it: a ring's worth
# of lines, each the same news).
expect_err_line "ucp: the run stopped there: what was not done by then was left out"
[ "$(grep -c 'No space left on device' "$T_ERR")" = 1 ] || {
	show_last
	fail "the full disk was said more than once"
}
cmp_subset src mnt/src

# A first --sync keeps its copy so far under its temporary name: its
# error named the destination's path, so a line says where the copy is;
# with room again, the next run goes on with it and gives it its name.
rm -rf mnt/src
ucp_try --sync src mnt/m
expect_rc 1 "--sync of a tree larger than the filesystem"
expect_err_line "ucp: the copy so far is in 'mnt/.m.ucp-partial'; the next run goes on with it"
[ -d mnt/.m.ucp-partial ] || fail "no partial tree was kept"
mount -o remount,size=8m mnt
ucp_try --sync src mnt/m
expect_ok "--sync with room again"
cmp_trees src mnt/m
assert_absent mnt/.m.ucp-partial
rm -rf mnt/m
mount -o remount,size=2m mnt

# --untar stops at a full disk too (one message, not one per member
# after it), and leaves no part of the member it was writing.
rm -rf mnt/src
ucp_try --tar src src.tar
expect_ok
ucp_try --untar src.tar mnt/x
expect_rc 1 "--untar of a tree larger than the filesystem"
[ "$(grep -c 'No space left on device' "$T_ERR")" = 1 ] || {
	show_last
	fail "--untar went on after the disk was full"
}
for f in mnt/x/src/*; do
	[ -e "$f" ] || continue
	cmp -s "$f" "src/${f#mnt/x/src/}" || fail "a partial member was left: $f"
done
