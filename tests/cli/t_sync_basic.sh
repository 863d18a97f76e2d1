#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: all
# --sync makes DST an exact mirror of SRC (DST itself, not DST/SRC); a
# second run over an identical copy changes nothing at all (same inodes
# and ctimes); a one-byte change with the same size and a later mtime is
# copied; an attribute change is applied without rewriting the file.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_tree src
touch -d '1999-12-31 23:59:59.123456789' src/size_1
touch -d '1960-01-01 00:00:00.5' src/sub/nested
chmod 1777 src/empty_dir
mkdir src/ro && printf 'r\n' >src/ro/f && chmod 555 src/ro
ln src/size_4096 src/sub/hardlink

ucp_try --sync src dst
expect_ok
expect_mirror src dst
[ "$(stat -c %i dst/size_4096)" = "$(stat -c %i dst/sub/hardlink)" ] ||
	fail "hard links were not kept"
[ ! -e dst/src ] || fail "the mirror went to dst/src"

# Again: nothing changes, nothing is reported.
before=$(inode_state dst)
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_empty
[ "$(inode_state dst)" = "$before" ] || {
	diff <(printf '%s\n' "$before") <(inode_state dst) | head >&2
	fail "a run over an identical copy changed inodes or ctimes"
}

# One byte, same size, mtime 2 s later: copied.
printf 'X' | dd of=src/size_4097 bs=1 seek=100 conv=notrunc 2>/dev/null
touch -d "@$(($(stat -c %Y src/size_4097) + 2))" src/size_4097
# A mode change only: fixed in place.
chmod 640 src/exec
ino=$(stat -c %i dst/exec)
ucp_try --sync --itemize-changes src dst
expect_ok
expect_mirror src dst
expect_out_line ">f..t...... size_4097"
expect_out_line ".f...p..... exec"
[ "$(stat -c %i dst/exec)" = "$ino" ] || fail "a mode change rewrote the file"

# Rewritten and a mode changed: both said, as rsync -i says them.
# (2 s past the copy's time: the write may fall in the second the last
# step gave the source, which the quick check would take for no change.)
printf 'Y' | dd of=src/size_4097 bs=1 seek=100 conv=notrunc 2>/dev/null
touch -d "@$(($(stat -c %Y dst/size_4097) + 2))" src/size_4097
chmod 600 dst/size_4097
ucp_try --sync --itemize-changes src dst
expect_ok
expect_mirror src dst
expect_out_line ">f..tp..... size_4097"

# An xattr added to the source (which moves its ctime) is copied alone.
if command -v setfattr >/dev/null && setfattr -n user.k -v v1 src/size_1 2>/dev/null; then
	ino=$(stat -c %i dst/size_1)
	ucp_try --sync --itemize-changes src dst
	expect_ok
	expect_out_line ".f........x size_1"
	[ "$(getfattr --only-values -n user.k dst/size_1)" = v1 ] ||
		fail "the new xattr was not copied"
	[ "$(stat -c %i dst/size_1)" = "$ino" ] || fail "an xattr change rewrote the file"
	setfattr -x user.k src/size_1
	ucp_try --sync --itemize-changes src dst
	expect_ok
	expect_out_line ".f........x size_1"
	! getfattr -n user.k dst/size_1 >/dev/null 2>&1 || fail "a removed xattr stayed"
fi
# Changed in the source, then the copy's mode changed (its ctime now after
# the source's): the run that puts the mode back compares the xattrs too.
if command -v setfattr >/dev/null && setfattr -n user.k -v v1 src/size_1 2>/dev/null; then
	ucp_try --sync src dst
	expect_ok
	setfattr -n user.k -v v2 src/size_1
	chmod 600 dst/size_1
	ucp_try --sync --itemize-changes src dst
	expect_ok
	expect_out_line ".f...p....x size_1"
	[ "$(getfattr --only-values -n user.k dst/size_1)" = v2 ] ||
		fail "an xattr changed in the source before the copy's mode was not copied"
	setfattr -x user.k src/size_1
	ucp_try --sync src dst
	expect_ok
	# Data and attribute changed at once: the line says both, as rsync's.
	setfattr -n user.k -v v3 src/size_1
	printf 'xy' >src/size_1
	ucp_try --sync --itemize-changes src dst
	expect_ok
	grep -qE '^>f\.s.{6}x size_1$' "$T_OUT" ||
		{ show_last; fail "a rewritten file's attribute change is not listed"; }
	[ "$(getfattr --only-values -n user.k dst/size_1)" = v3 ] || fail "the attribute was not copied"
	setfattr -x user.k src/size_1
	ucp_try --sync src dst
	expect_ok
fi
# The same on a symbolic link (trusted.*: root only; user.* may not be set
# on a link).
ln -s target src/xlink
ucp_try --sync src dst
expect_ok
if command -v setfattr >/dev/null &&
	setfattr -h -n trusted.k -v v1 src/xlink 2>/dev/null; then
	ucp_try --sync --itemize-changes src dst
	expect_ok
	expect_out_line ".L........x xlink -> target"
	[ "$(getfattr -h --only-values -n trusted.k dst/xlink)" = v1 ] ||
		fail "the new xattr of a symbolic link was not copied"
	setfattr -h -x trusted.k src/xlink
	ucp_try --sync --itemize-changes src dst
	expect_ok
	expect_out_line ".L........x xlink -> target"
	! getfattr -h -n trusted.k dst/xlink >/dev/null 2>&1 ||
		fail "a removed xattr of a symbolic link stayed"
fi
rm src/xlink

# A type change both ways, and an existing file in the way of a directory.
rm src/size_0 && mkdir src/size_0 && printf 'now a dir\n' >src/size_0/f
rm -r src/empty_dir && printf 'now a file\n' >src/empty_dir
ucp_try --sync --delete src dst
expect_ok
expect_mirror src dst

# A source that is not a directory is refused.
ucp_try --sync src/size_1 dst2
expect_rc 2
expect_err_has "--sync mirrors a directory"
# So is a symbolic link to a directory (-a copies a link operand as one)
# and a dangling one, rather than a run that copies nothing; a trailing
# slash or -H names the directory it points to.
ln -s src link_to_src
ln -s nowhere dangling
for op in link_to_src dangling; do
	ucp_try --sync "$op" dst_link
	expect_rc 2 "--sync $op"
	expect_err_line "ucp: --sync mirrors a directory; not a directory: '$op'"
	[ ! -e dst_link ] || fail "--sync $op made a destination"
done
ucp_try --sync link_to_src/ dst_link
expect_ok
expect_mirror src dst_link
ucp_try --sync -H link_to_src dst_link_h
expect_ok
expect_mirror src dst_link_h
rm -r link_to_src dangling dst_link dst_link_h
# A directory is not its own mirror, nor one inside itself.
ucp_try --sync src src/
expect_rc 2
expect_err_has "are the same file"
ucp_try --sync src src/sub/mirror
expect_rc 1
expect_err_has "into itself"
[ ! -e src/sub/mirror ] || fail "a mirror was made inside the source"
# Sync options need --sync.
ucp_try --delete src dst3
expect_rc 2
expect_err_has "--delete needs --sync"
[ ! -e dst3 ] || fail "dst3 was created"
# cp's -n, -i and -b are refused in sync mode, naming what an rsync user
# means by them; nothing is created, nothing deleted.
printf 'keep\n' >dst/only_in_dst
expect_usage_error "ucp: -n (--no-clobber) does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing" \
	--sync --delete -n src dst
expect_usage_error "ucp: -n (--no-clobber) does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing" \
	--sync --no-clobber src dst
expect_usage_error "ucp: --update=none does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing" \
	--sync --update=none src dst
expect_usage_error "ucp: -i (--interactive) does not apply to --sync: to list the changes use --itemize-changes" \
	--sync -i src dst
expect_usage_error "ucp: -b (--backup) does not apply to --sync" \
	--sync --backup=numbered src dst
# An empty operand (an unset variable in a script) is refused: it made a
# mirror of src in the current directory, left as ..ucp-partial.
expect_usage_error "ucp: --sync: empty destination operand" --sync src ""
expect_usage_error "ucp: --sync: empty source operand" --sync "" dst
assert_present dst/only_in_dst

# A destination that is a symbolic link to a directory is that directory,
# as rsync takes it (cp -T refuses it, as the copy mode does): the link
# stays, the mirror is made in what it points to.
rm -rf lsrc real dlink
mkdir -p lsrc/sub real
printf 'a\n' >lsrc/a
printf 'b\n' >lsrc/sub/b
ln -s real dlink
ucp_try --sync lsrc dlink
expect_ok
[ -L dlink ] || fail "the destination link was replaced"
expect_mirror lsrc real
ucp_try --sync --itemize-changes lsrc dlink
expect_ok
expect_out_empty
ucp_try -rT lsrc dlink
expect_rc 1 "-rT onto a link to a directory (cp -T refuses it)"
