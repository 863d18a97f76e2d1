#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# How --sync decides what changed: --checksum catches a same-size,
# same-mtime change that the quick check misses; --size-only ignores
# times; --modify-window accepts close times; --ignore-existing,
# --update and --existing leave what they promise alone; --dry-run
# changes nothing and reports what a real run then does; --inplace keeps
# the inode; --fsync still gives a mirror.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
printf 'aaaa\n' >src/a
printf 'bbbb\n' >src/d/b
ucp_try --sync src dst
expect_ok

# Same size, same mtime, other bytes: only --checksum sees it.
t=$(stat -c %y src/a)
printf 'AAAA\n' >src/a
touch -d "$t" src/a
ucp_try --sync src dst
expect_ok
[ "$(cat dst/a)" = aaaa ] || fail "the quick check copied a same-size same-time file"
ucp_try --sync --checksum --itemize-changes src dst
expect_ok
[ "$(cat dst/a)" = AAAA ] || fail "--checksum missed a changed file"
expect_out_line ">fc........ a"
expect_mirror src dst
# Another size is other contents: 'c' with 's', as rsync -c says it.
printf 'sz\n' >src/sz
ucp_try --sync src dst
expect_ok
printf 'size\n' >src/sz
touch -r dst/sz src/sz
ucp_try --sync --checksum --itemize-changes src dst
expect_ok
expect_out_line ">fcs....... sz"
expect_mirror src dst
rm src/sz dst/sz

# --size-only: a new time alone copies nothing (and, with -a, the time is
# then set as an attribute).
touch -d '2001-01-01' src/d/b
ino=$(stat -c %i dst/d/b)
ucp_try --sync --size-only src dst
expect_ok
[ "$(stat -c %i dst/d/b)" = "$ino" ] || fail "--size-only rewrote a same-size file"

# --modify-window: one second apart counts as equal with a window of 2.
printf 'cccc\n' >dst/d/b
touch -d "@$(($(stat -c %Y src/d/b) + 1))" dst/d/b
ucp_try --sync --modify-window=2 src dst
expect_ok
[ "$(cat dst/d/b)" = cccc ] || fail "--modify-window=2 copied a file one second off"
ucp_try --sync src dst
expect_ok
[ "$(cat dst/d/b)" = bbbb ] || fail "without a window the file was not copied"

# --ignore-existing: existing files stay, new ones come.
printf 'new\n' >src/new
printf 'changed\n' >src/a
ucp_try --sync --ignore-existing src dst
expect_ok
[ "$(cat dst/a)" = AAAA ] && [ "$(cat dst/new)" = new ] ||
	fail "--ignore-existing: a='$(cat dst/a)' new='$(cat dst/new 2>/dev/null)'"

# -u: a destination newer than the source stays.
printf 'newer\n' >dst/a
touch -d '2030-01-01' dst/a
ucp_try --sync -u src dst
expect_ok
[ "$(cat dst/a)" = newer ] || fail "-u replaced a newer destination"
# It does not touch symbolic links, as rsync's -u: one that changed is
# replaced, the newer copy too (the old one was kept, but listed as
# replaced, every run, exit 0).
ln -s new src/l
ln -s old dst/l
touch -h -d '2010-01-01' src/l
touch -h -d '2030-01-01' dst/l
ucp_try --sync -u --itemize-changes src dst
expect_ok
[ "$(readlink dst/l)" = new ] || fail "-u kept a symbolic link that changed"
ucp_try --sync -u --itemize-changes src dst
expect_ok
! grep -q ' l -> ' "$T_OUT" || fail "a settled symbolic link was listed again: $(cat "$T_OUT")"
rm src/l

# --existing: no new entries.
printf 'x\n' >src/only-in-src
mkdir src/newdir
ucp_try --sync --existing src dst
expect_ok
[ ! -e dst/only-in-src ] && [ ! -e dst/newdir ] || fail "--existing created entries"
# A directory that replaces a file or a symbolic link is made, as rsync
# makes it, and nothing new in it.
mkdir src/was_file src/was_link
printf 'x\n' >src/was_file/f
printf 'x\n' >src/was_link/f
printf 'file\n' >dst/was_file
ln -s nowhere dst/was_link
ucp_try --sync --existing src dst
expect_ok
[ -d dst/was_file ] && [ -d dst/was_link ] ||
	fail "--existing did not replace a file and a link by directories"
[ ! -e dst/was_file/f ] && [ ! -e dst/was_link/f ] ||
	fail "--existing created files in a directory it made"
rm -r src/was_file src/was_link dst/was_file dst/was_link

# --dry-run: nothing changes, and the report is the real run's.
rm -f dst/new
before=$(inode_state dst)
ucp_try --sync --delete --dry-run --itemize-changes src dst
expect_ok
# Workers run in parallel: lines come in any order.
dry=$(LC_ALL=C sort "$T_OUT")
[ "$(inode_state dst)" = "$before" ] || fail "--dry-run changed the destination"
[ -n "$dry" ] || fail "--dry-run reported nothing"
ucp_try --sync --delete --itemize-changes src dst
expect_ok
[ "$(LC_ALL=C sort "$T_OUT")" = "$dry" ] || {
	diff <(printf '%s\n' "$dry") <(LC_ALL=C sort "$T_OUT") >&2 || true
	fail "--dry-run's report differs from the real run's"
}
expect_mirror src dst
# A file rewritten in a directory whose time was right: the directory's
# time, moved by the rewrite, is put back without a line (a dry run sees
# nothing of it, nor does rsync say anything).
mkdir -p src/keepdir
printf 'one\n' >src/keepdir/f
ucp_try --sync src dst
expect_ok
touch -d '2021-01-01' src/keepdir/f
ucp_try --sync --dry-run --itemize-changes src dst
expect_ok
dry=$(LC_ALL=C sort "$T_OUT")
ucp_try --sync --itemize-changes src dst
expect_ok
[ "$(LC_ALL=C sort "$T_OUT")" = "$dry" ] || {
	diff <(printf '%s\n' "$dry") <(LC_ALL=C sort "$T_OUT") >&2 || true
	fail "a rewrite in a directory: the real run's report differs from the dry run's"
}
expect_out_line ">f..t...... keepdir/f"
expect_mirror src dst
rm -r src/keepdir
ucp_try --sync --delete src dst
expect_ok
# --dry-run into a missing destination creates nothing.
ucp_try --sync --dry-run --itemize-changes src nothere
expect_ok
[ ! -e nothere ] || fail "--dry-run created the destination"
expect_out_line "cd+++++++++ ./"
expect_out_line ">f+++++++++ d/b"

# --inplace keeps the inode (and so other hard links see the change).
ln dst/a outside-link
ino=$(stat -c %i dst/a)
printf 'inplace contents, longer\n' >src/a
ucp_try --sync --inplace src dst
expect_ok
[ "$(stat -c %i dst/a)" = "$ino" ] || fail "--inplace replaced the inode"
[ "$(cat outside-link)" = "inplace contents, longer" ] || fail "--inplace: the other link kept old data"
printf 'short\n' >src/a
ucp_try --sync --inplace src dst
expect_ok
[ "$(cat dst/a)" = short ] || fail "--inplace left old bytes past the new end"
expect_mirror src dst

printf 'fsync me\n' >src/d/f
ucp_try --sync --fsync src dst
expect_ok
expect_mirror src dst

ucp_try --sync --checksum --size-only src dst
expect_rc 2
