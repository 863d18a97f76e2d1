#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A big file that keeps changing while it is copied (a test hook makes
# every look after its copy find it changed) is named ("file changed as
# we read it") and exits 1. --sync then keeps the copy it had, whole, and
# leaves no temporary; a file new to the mirror, and the copy mode, keep
# what was read (the mirror's marked for the next run to copy it again).
# Every engine. Debug builds (the hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir src
head -c 3000000 /dev/urandom >src/big
printf 'small\n' >src/small
ucp_try --sync src mirror
expect_ok
cp mirror/big old
head -c 3000000 /dev/urandom >src/big

UCP_FAULT=changed:1+:EIO ucp_try --sync src mirror
expect_rc 1
expect_err_line "ucp: file changed as we read it: 'src/big'"
cmp mirror/big old || fail "--sync replaced its copy by one of a file that kept changing"
assert_no_tmp mirror

# The next run, with the file at rest, copies it.
ucp_try --sync src mirror
expect_ok
expect_mirror src mirror

UCP_FAULT=changed:1+:EIO ucp_try --sync src fresh
expect_rc 1
cmp src/big fresh/big || fail "a file new to the mirror was not kept as read"
# ... marked unfinished by a time that is not the source's, whatever the
# source's own time says now (a writer may have put it back): the next run
# copies it again.
[ "$(stat -c %Y.%y src/big)" != "$(stat -c %Y.%y fresh/big)" ] ||
	fail "a file new to the mirror kept as read has the source's time"
ucp_try --sync --itemize-changes src fresh
expect_ok
expect_out_line ">f..t...... big"
expect_mirror src fresh
UCP_FAULT=changed:1+:EIO ucp_try -r src copy
expect_rc 1
expect_err_line "ucp: file changed as we read it: 'src/big'"
cmp src/big copy/big || fail "the copy mode did not keep what it read"

# A source file replaced while it was copied (an editor's atomic save: the
# name is another file when it is opened; a test hook says so of the
# first): with --sync it counts as vanished, exit 24, and the deletions
# still go (one save on a live tree cancelled them all, exit 1); the next
# run copies the new file. The copy mode says it as cp does, exit 1.
# (The thread engine: the ring copies what it opens, as rsync does.)
rm -rf rs rm_ rc_
mkdir rs
printf 'a\n' >rs/a
ucp_try --sync rs rm_
expect_ok
printf 'stale\n' >rm_/stale
printf 'a2\n' >rs/a
UCP_FAULT=replaced:1:EIO ucp_try --sync --delete --engine=threads rs rm_
expect_rc 24 "--sync, a source replaced while copied"
expect_err_line "ucp: skipping file 'rs/a', as it was replaced while being copied"
assert_absent rm_/stale
ucp_try --sync --delete rs rm_
expect_ok
expect_mirror rs rm_
UCP_FAULT=replaced:1:EIO ucp_try -r --engine=threads rs rc_
expect_rc 1 "the copy mode, a source replaced while copied"
