#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --link-dest: in a new snapshot, unchanged files are hard links to the
# previous snapshot's (a relative DIR is relative to the destination), and
# changed ones are new copies (and those whose mode, owner or xattrs
# differ, or with --checksum whose bytes differ); every snapshot is an
# exact mirror.
# --reflink-dest: the same with clones, checked on an XFS image.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d snaps
printf 'same\n' >src/same
printf 'same too\n' >src/d/same2
printf 'old\n' >src/changes
ucp_try --sync src snaps/1
expect_ok
printf 'new contents\n' >src/changes
printf 'brand new\n' >src/d/added
ucp_try --sync --link-dest=../1 src snaps/2
expect_ok
expect_mirror src snaps/2
for f in same d/same2; do
	[ "$(stat -c %i "snaps/1/$f")" = "$(stat -c %i "snaps/2/$f")" ] ||
		fail "unchanged $f is not a link into the previous snapshot"
done
for f in changes d/added; do
	[ "$(stat -c %h "snaps/2/$f")" = 1 ] || fail "$f should be a copy of its own"
done
[ "$(cat snaps/1/changes)" = old ] || fail "the previous snapshot changed"
# An absolute DIR works too, and a mode change breaks the link (a link
# shares the inode, so it would change the old snapshot).
chmod 600 src/same
ucp_try --sync --link-dest="$PWD/snaps/2" src snaps/3
expect_ok
expect_mirror src snaps/3
[ "$(stat -c %i snaps/2/d/same2)" = "$(stat -c %i snaps/3/d/same2)" ] ||
	fail "absolute --link-dest did not link"
[ "$(stat -c %i snaps/2/same)" != "$(stat -c %i snaps/3/same)" ] ||
	fail "a file with another mode was linked"
[ "$(stat -c %a snaps/2/same)" = 644 ] || fail "the old snapshot's mode changed"

# So does an extended attribute that differs (an ACL is one), as rsync
# -X and -A compare them: the snapshot gets the source's.
if command -v setfattr >/dev/null && setfattr -n user.t -v 1 src/d/same2 2>/dev/null; then
	setfattr -n user.t -v stale snaps/3/d/same2
	ucp_try --sync --link-dest=../3 src snaps/4
	expect_ok
	expect_mirror src snaps/4
	[ "$(stat -c %i snaps/3/d/same2)" != "$(stat -c %i snaps/4/d/same2)" ] ||
		fail "a file with another xattr was linked"
	[ "$(getfattr --only-values -n user.t snaps/4/d/same2)" = 1 ] ||
		fail "the snapshot's xattr is not the source's"
	[ "$(stat -c %i snaps/3/same)" = "$(stat -c %i snaps/4/same)" ] ||
		fail "a file whose xattrs agree was not linked"
fi

mount_xfs mnt
mkdir -p mnt/src
head -c 2000000 /dev/urandom >mnt/src/big
head -c 2000000 /dev/urandom >mnt/src/big2
# No sharing with the source, so any shared extent comes from the clone.
ucp_try --sync --reflink=never mnt/src mnt/s1
expect_ok
head -c 2000000 /dev/urandom >mnt/src/big2
ucp_try --sync --reflink=never --reflink-dest=../s1 mnt/src mnt/s2
expect_ok
expect_mirror mnt/src mnt/s2
filefrag -v mnt/s2/big | grep -q shared || fail "--reflink-dest did not clone big"
! filefrag -v mnt/s2/big2 | grep -q shared || fail "the changed big2 shares extents"
[ "$(stat -c %i mnt/s1/big)" != "$(stat -c %i mnt/s2/big)" ] ||
	fail "--reflink-dest made a hard link"

# A --link-dest that does not exist is said (as rsync says it), and the
# snapshot is a full copy.
ucp_try --sync --link-dest=../no_such_snapshot src snap_missing
expect_ok
expect_err_line "ucp: warning: --link-dest arg does not exist: '../no_such_snapshot'"
expect_mirror src snap_missing

# --checksum: a twin of the same size and time whose bytes differ is not
# linked (the snapshot would hold its data); one whose bytes match is.
mkdir -p ck/src ck/prev
printf 'data\n' >ck/src/f
printf 'DATA\n' >ck/prev/f
printf 'same\n' >ck/src/g
printf 'same\n' >ck/prev/g
touch -d '2010-01-01 00:00:00' ck/src/f ck/prev/f ck/src/g ck/prev/g
ucp_try --sync --checksum --link-dest=../prev ck/src ck/cur
expect_ok
expect_mirror ck/src ck/cur
[ "$(stat -c %h ck/cur/f)" = 1 ] || fail "--checksum linked a twin whose bytes differ"
[ "$(stat -c %i ck/prev/g)" = "$(stat -c %i ck/cur/g)" ] ||
	fail "--checksum did not link a twin of the same bytes"

# A hard-link group of the source stays one in the snapshot, whichever of
# its names the reference has: all of them, one, or two separate copies.
for prevcase in one separate; do
	rm -rf hl
	mkdir -p hl/src
	printf 'same\n' >hl/src/a
	ln hl/src/a hl/src/b
	ucp_try --sync hl/src hl/prev
	expect_ok
	if [ "$prevcase" = one ]; then
		rm hl/prev/b
	else
		rm hl/prev/b
		cp -a hl/prev/a hl/prev/b
	fi
	ucp_try --sync --link-dest=../prev hl/src hl/snap
	expect_ok
	[ "$(stat -c %i hl/snap/a)" = "$(stat -c %i hl/snap/b)" ] ||
		fail "--link-dest ($prevcase in the reference) split the hard-link group"
	expect_mirror hl/src hl/snap
done

# A dry run of a new snapshot resolves a relative --link-dest against the
# destination it would make: no warning, and it lists what the real run
# does (nothing copied here: every file has its twin).
rm -rf dr
mkdir -p dr/src
printf 'one\n' >dr/src/f
printf 'two\n' >dr/src/g
ucp_try --sync dr/src dr/prev
expect_ok
ucp_try --sync --dry-run --itemize-changes --link-dest=../prev dr/src dr/snap
expect_ok
expect_err_empty
cp "$T_OUT" dry.out
assert_absent dr/snap
ucp_try --sync --itemize-changes --link-dest=../prev dr/src dr/snap
expect_ok
diff dry.out "$T_OUT" >&2 || fail "the dry run listed otherwise than the run"
grep -q '^>f' "$T_OUT" && fail "files were copied though the reference has them"
[ "$(stat -c %i dr/snap/f)" = "$(stat -c %i dr/prev/f)" ] || fail "f was not linked"
# The same with the destination typed with a trailing slash.
ucp_try --sync --dry-run --link-dest=../prev dr/src/ dr/snap2/
expect_ok
expect_err_empty

# A twin whose mode, owner or attributes differ is no link: the dry run
# lists it as made again, as the run makes it, with what differs from the
# twin (rsync's cf...p).
rm -rf da
mkdir -p da/src
printf 'p\n' >da/src/perm
printf 's\n' >da/src/same
ucp_try --sync da/src da/prev
expect_ok
chmod 600 da/src/perm
ucp_try --sync --dry-run --itemize-changes --link-dest=../prev da/src da/snap
expect_ok
cp "$T_OUT" dry.out
ucp_try --sync --itemize-changes --link-dest=../prev da/src da/snap
expect_ok
expect_out_line "cf...p..... perm"
diff dry.out "$T_OUT" >&2 || fail "a dry run with a twin of another mode listed otherwise than the run"
[ "$(stat -c %i da/snap/same)" = "$(stat -c %i da/prev/same)" ] || fail "same was not linked"

# A reference on another file system: no link can be made, the file is
# copied; as it does not differ from its twin, the run does not list it,
# nor the dry run (rsync copies the twin without a line).
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
	[ "$(stat -c %d /dev/shm)" != "$(stat -c %d .)" ]; then
	xref=$(mktemp -d /dev/shm/ucp-ref.XXXXXX)
	mkdir -p xsrc xm
	printf '1\n' >xsrc/a
	cp -a xsrc/. "$xref"
	ucp_try --sync --dry-run --itemize-changes --link-dest="$xref" xsrc xm
	expect_ok
	cp "$T_OUT" dry.out
	ucp_try --sync --itemize-changes --link-dest="$xref" xsrc xm
	rm -rf "$xref"
	expect_ok
	diff dry.out "$T_OUT" >&2 || fail "the dry run listed otherwise than the run"
	grep -q ' a$' "$T_OUT" && fail "a copy of a twin was listed"
	expect_mirror xsrc xm
fi

# Symbolic links, FIFOs and devices the reference has unchanged are links
# to it too, and not listed, as rsync makes and lists them (each was made
# anew and listed as new); a symbolic link whose target changed is made
# anew, listed against its twin (rsync's cLc, and its new time).
rm -rf sp
mkdir -p sp/src
ln -s same sp/src/l
ln -s old sp/src/moved
mkfifo sp/src/p
if [ "$(id -u)" = 0 ]; then mknod sp/src/c c 1 3; fi
ucp_try --sync sp/src sp/1
expect_ok
ln -sfn new sp/src/moved
ucp_try --sync --dry-run --itemize-changes --link-dest=../1 sp/src sp/2
expect_ok
cp "$T_OUT" dry.out
ucp_try --sync --itemize-changes --link-dest=../1 sp/src sp/2
expect_ok
diff dry.out "$T_OUT" >&2 || fail "the dry run listed otherwise than the run"
expect_out_line "cLc.t...... moved -> new"
for f in l p c; do
	[ -e "sp/src/$f" ] || [ -L "sp/src/$f" ] || continue
	[ "$(stat -c %i "sp/2/$f")" = "$(stat -c %i "sp/1/$f")" ] ||
		fail "unchanged $f is not a link into the previous snapshot"
	if grep -q " $f\( \|\$\)" "$T_OUT"; then
		show_last
		fail "unchanged $f was listed"
	fi
done
[ "$(stat -c %h sp/2/moved)" = 1 ] || fail "the changed link was linked"
expect_mirror sp/src sp/2
