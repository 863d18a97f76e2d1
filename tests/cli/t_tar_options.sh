#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# The archive modes' command line: operand counts and bad values are usage
# errors (exit 2, nothing created); --list prints names, -v a long listing;
# -v of --tar goes to stderr when the archive goes to stdout; --compress
# and --level are applied; -x stays on the operand's file system.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir w
cd w
mkdir -p src/d
printf 'a\n' >src/d/a
ln -s d/a src/l

expect_usage_error "ucp: missing archive operand" --tar
expect_usage_error "ucp: missing archive operand after 'src'" --tar src
expect_usage_error "ucp: missing directory operand after 'x.tar'" --untar x.tar
expect_usage_error "ucp: extra operand 'z'" --untar x.tar y z
expect_usage_error "ucp: extra operand 'y'" --list x.tar y
expect_usage_error "ucp: only one of --tar, --untar and --list" --tar --untar src x
expect_usage_error "ucp: invalid archive format: 'shar' (valid: pax, ustar, gnutar, cpio, zip)" --tar --format=shar src x.tar
expect_usage_error "ucp: invalid compression: 'rar' (valid: gzip, bzip2, xz, zstd, lz4, none)" --tar --compress=rar src x.tar
expect_usage_error "ucp: invalid compression level: '99' (0 to 22)" --tar --level=99 src x.tar
# What --tar would ignore (it stores every attribute, holes as holes).
expect_usage_error "ucp: --sparse does not apply to --tar" --tar --sparse=never src x.tar
expect_usage_error "ucp: --no-preserve does not apply to --tar" --tar --no-preserve=xattr src x.tar
# Each compressor's own range, and no level where nothing is compressed.
expect_usage_error "ucp: invalid compression level: '15' (0 to 9 for 'x.tar.gz')" --tar --level=15 src x.tar.gz
expect_usage_error "ucp: invalid compression level: '0' (1 to 9 for 'x.tar.lz4')" --tar --level=0 src x.tar.lz4
expect_usage_error "ucp: --level: 'x.tar' is not compressed (a .gz, .bz2, .xz, .zst, .lz4 or .zip name, or --compress)" --tar --level=3 src x.tar
[ ! -e x.tar.gz ] && [ ! -e x.tar ] || fail "a refused --level wrote an archive"
expect_usage_error "ucp: --format, --compress and --level need --tar" --format=pax src dst
expect_usage_error "ucp: -t and -T do not apply to archive modes" --tar -t dir src

ucp_try --tar src a.tar
expect_ok
expect_out_empty
expect_err_empty

# A name that says a compression ucp does not take from a name: written
# plain, with a warning; --compress gives one, -q keeps it quiet.
for name in a.tar.lzma a.tar.Z A.TAR.GZ a.tlz; do
	ucp_try --tar src "$name"
	expect_ok
	expect_err_line "ucp: warning: '$name': written uncompressed (ucp does not compress for '.${name##*.}'; --compress=ALGO chooses a compression)"
	[ "$(dd if="$name" bs=1 skip=257 count=5 2>/dev/null)" = ustar ] ||
		fail "$name is not a plain tar archive"
done
ucp_try --tar --compress=gzip src b.tar.lzma
expect_ok
expect_err_empty
ucp_try --tar -q src c.tar.lzma
expect_ok
expect_err_empty
ucp_try --list a.tar
expect_ok
printf 'src/\nsrc/d/\nsrc/d/a\nsrc/l\n' >want
sort "$T_OUT" | diff -u want - >&2 || fail "--list names differ"
ucp_try --list -v a.tar
expect_ok
grep -q '^lrwxrwxrwx .* src/l -> d/a$' "$T_OUT" || fail "long listing lacks the symlink line: $(cat "$T_OUT")"
grep -qE '^-rw-r--r-- [^ ]+ +2 [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} src/d/a$' "$T_OUT" ||
	fail "long listing lacks the file line: $(cat "$T_OUT")"
# An archive without owner names lists the numbers (as tar tv does), each
# on its own.
tar --numeric-owner --owner=1234 --group=5678 -cf numeric.tar -C src d/a
ucp_try --list -v numeric.tar
expect_ok
grep -qE '^-rw-r--r-- 1234/5678 +2 ' "$T_OUT" ||
	fail "no numeric owner in the long listing: $(cat "$T_OUT")"
# Lined up as tar tv lines them up: the owner and size share a column
# that grows to the widest pair so far, the size flush right in it; times
# in the local time zone, as tar tv shows them (they were UTC whatever the
# zone).
mkdir -p cols
printf 'x\n' >cols/a
head -c 123456 /dev/zero >cols/b
tar --owner=u:1 --group=g:2 -cf cols.tar cols/b
tar --owner=averylongownername:1000 --group=g:7 -cf cols2.tar cols/a
tar --owner=u:1 --group=g:2 -cf cols3.tar cols/b
tar -Af cols.tar cols2.tar
tar -Af cols.tar cols3.tar
for zone in UTC0 XST-9 YST+5; do
	TZ=$zone ucp_try --list -v cols.tar
	expect_ok
	TZ=$zone tar -tvf cols.tar >want.tv || fail "tar -tvf failed"
	diff -u want.tv "$T_OUT" >&2 ||
		fail "--list -v (TZ=$zone) differs from tar -tv"
done

# -v with the archive on stdout: the names go to stderr.
run_ucp --tar -v src - >b.tar 2>"$T_ERR" || fail "--tar -v to stdout failed"
grep -qF "'src/d/a' -> 'src/d/a'" "$T_ERR" || fail "-v lines missing from stderr"
cmp -s <(tar -tf b.tar | sort) <(sort want) || fail "the archive on stdout is not clean"
ucp_try --untar -v b.tar out
expect_ok
grep -qF "'src/d/a' -> 'out/src/d/a'" "$T_OUT" || fail "--untar -v lines missing"

# Explicit compression wins over the suffix; --level is accepted.
ucp_try --tar --compress=gzip --level=1 src c.tar
expect_ok
[ "$(head -c 2 c.tar | od -An -tx1 | tr -d ' ')" = 1f8b ] || fail "--compress=gzip did not gzip"
ucp_try --tar --compress=none src n.tar.gz
expect_ok
ucp_try --list n.tar.gz
expect_ok
[ "$(head -c 2 n.tar.gz | od -An -tx1 | tr -d ' ')" != 1f8b ] || fail "--compress=none compressed"

# A file operand, a missing one: the rest is archived and the status is 1.
ucp_try --tar src/d/a missing a2.tar
expect_rc 1
expect_err_line "ucp: cannot stat 'missing': No such file or directory"
ucp_try --list a2.tar
[ "$(cat "$T_OUT")" = src/d/a ] || fail "file operand not archived alone"

# An unwritable archive location is fatal and leaves nothing behind.
ucp_try --tar src nodir/x.tar
expect_rc 1
expect_err_has "ucp: cannot create regular file 'nodir/x.tar': "

# -x: a file system mounted inside the source is archived as an empty
# directory.
if [ "$(id -u)" = 0 ] && mkdir -p src/mnt &&
	mount -t tmpfs -o size=1m tmpfs src/mnt 2>/dev/null; then
	trap 'umount src/mnt' EXIT
	printf 'other fs\n' >src/mnt/g
	ucp_try --tar -x src x.tar
	expect_ok
	ucp_try --list x.tar
	grep -qx 'src/mnt/' "$T_OUT" || fail "-x left out the mount point"
	if grep -q 'src/mnt/g' "$T_OUT"; then
		fail "-x descended into another file system"
	fi
	ucp_try --tar src all.tar
	ucp_try --list all.tar
	grep -qx 'src/mnt/g' "$T_OUT" || fail "without -x the mount was not archived"
else
	echo "note: cannot mount a tmpfs here; -x not checked"
fi

# An existing archive keeps its mode (and, as root, its owner), as tar
# writes into it; a symbolic link to one is written through.
printf 'old\n' >kept.tar
chmod 600 kept.tar
[ "$(id -u)" != 0 ] || chown 1234:5678 kept.tar
before=$(stat -c '%a %u %g' kept.tar)
ucp_try --tar src kept.tar
expect_ok
[ "$(stat -c '%a %u %g' kept.tar)" = "$before" ] ||
	fail "the replaced archive is $(stat -c '%a %u %g' kept.tar), was $before"
tar -tf kept.tar >/dev/null || fail "the replaced archive does not read"
ln -s kept.tar via_link.tar
ucp_try --tar src via_link.tar
expect_ok
[ -L via_link.tar ] || fail "the symbolic link to the archive was replaced"
tar -tf kept.tar | grep -qx 'src/d/a' || fail "the archive behind the link was not written"
# A link to an archive not there yet: made behind it, as tar's open does
# (the link was replaced by the archive), also over two links; a loop is
# an error.
mkdir disk
ln -s disk/new.tar to_new.tar
ln -s ../disk/deeper.tar disk/hop
ln -s disk/hop two_hops.tar
for l in to_new two_hops; do
	ucp_try --tar src "$l.tar"
	expect_ok
	[ -L "$l.tar" ] || fail "$l: the symbolic link to the new archive was replaced"
done
tar -tf disk/new.tar | grep -qx 'src/d/a' || fail "the archive behind the dangling link was not made"
tar -tf disk/deeper.tar | grep -qx 'src/d/a' || fail "the archive behind two links was not made"
ln -s loop_b loop_a
ln -s loop_a loop_b
ucp_try --tar src loop_a
expect_rc 1
expect_err_exact "ucp: cannot create regular file 'loop_a': Too many levels of symbolic links"
# In a sticky directory others may write, another user's link is not
# followed (fs.protected_symlinks): an error, and the link stays.
if [ "$(id -u)" = 0 ]; then
	mkdir -m 1777 shared
	ln -s "$PWD/disk/planted.tar" shared/a.tar
	chown -h 65534:65534 shared/a.tar
	ucp_try --tar src shared/a.tar
	expect_rc 1
	expect_err_exact "ucp: cannot create regular file 'shared/a.tar': Permission denied"
	[ -L shared/a.tar ] && [ ! -e disk/planted.tar ] || fail "another user's link in a sticky directory was followed"
	# Nor to a file that is there: the file stays as it was (it was
	# replaced by the archive, exit 0: the link was read by ucp, whose
	# open of where it led the kernel's guard never saw).
	printf 'precious\n' >disk/victim
	ln -s ../disk/victim shared/b.tar
	chown -h 65534:65534 shared/b.tar
	ucp_try --tar src shared/b.tar
	expect_rc 1
	expect_err_exact "ucp: cannot create regular file 'shared/b.tar': Permission denied"
	[ "$(cat disk/victim)" = precious ] || fail "another user's link in a sticky directory was followed to a file"
	# cp mode: a link operand is written through, as cp does, but not
	# this one (cp's open gets EACCES from the kernel).
	ucp_try src/d/a shared/b.tar
	expect_rc 1
	expect_err_exact "ucp: cannot create regular file 'shared/b.tar': Permission denied"
	[ "$(cat disk/victim)" = precious ] || fail "cp mode followed another user's link in a sticky directory"
	# The directory's owner's link, or one's own, is followed.
	chown -h 0:0 shared/b.tar
	ucp_try src/d/a shared/b.tar
	expect_ok
	cmp -s src/d/a disk/victim || fail "cp mode did not write through a link of one's own"
fi

# cpio (POSIX odc) cannot hold a time before 1970 or an owner over 262143:
# such a member is refused (exit 1, the others written), as ustar refuses
# what it cannot hold, never cut to fit (libarchive writes 1960 as 2242).
mkdir -p cp/src
printf 'ok\n' >cp/src/ok
printf 'old\n' >cp/src/old
touch -d '1960-01-01 UTC' cp/src/old
ucp_try --tar cp/src cp/a.cpio
expect_rc 1 "cpio of a file from 1960"
expect_err_line "ucp: cannot write 'cp/src/old': does not fit the cpio format (a time before 1970 or after 2242, an owner, group or device number above 262143); --format=pax keeps it"
ucp_try --list cp/a.cpio
expect_ok
[ "$(LC_ALL=C sort "$T_OUT" | tr '\n' ' ')" = "cp/src cp/src/ok " ] ||
	fail "the cpio archive holds: $(tr '\n' ' ' <"$T_OUT")"
# A device number odc cannot hold (as root, who can make one).
if [ "$(id -u)" = 0 ] && mknod cp/src/dev b 8 300 2>/dev/null; then
	ucp_try --tar cp/src cp/b.cpio
	expect_rc 1 "cpio of a device 8,300"
	expect_err_line "ucp: cannot write 'cp/src/dev': does not fit the cpio format (a time before 1970 or after 2242, an owner, group or device number above 262143); --format=pax keeps it"
fi

# ustar: an owner above 262143 (libarchive writes six octal digits) is
# refused with what keeps it, the others written.
if [ "$(id -u)" = 0 ]; then
	mkdir -p us/src
	printf 'ok\n' >us/src/ok
	printf 'big\n' >us/src/big
	chown 262144 us/src/big
	ucp_try --tar --format=ustar us/src us/a.tar
	expect_rc 1 "ustar of a file owned by 262144"
	expect_err_line "ucp: cannot write 'us/src/big': an owner or group above 262143 does not fit the ustar format; --format=pax keeps it"
	ucp_try --list us/a.tar
	expect_ok
	[ "$(LC_ALL=C sort "$T_OUT" | tr '\n' ' ')" = "us/src/ us/src/ok " ] ||
		fail "the ustar archive holds: $(tr '\n' ' ' <"$T_OUT")"
	ucp_try --tar us/src us/a.pax
	expect_ok
fi

# --strip-trailing-slashes with --tar: "link/" is the link, archived as
# one (as GNU tar archives it); without it, the directory behind it.
mkdir -p sts/real/sub
printf 'x\n' >sts/real/sub/x
ln -s real sts/link
(cd sts && "$UCP" --tar --strip-trailing-slashes link/ ../sts-a.tar) ||
	fail "--tar --strip-trailing-slashes link/ failed"
[ "$(tar -tvf sts-a.tar | wc -l)" = 1 ] && tar -tvf sts-a.tar | grep -q 'link -> real' ||
	fail "--strip-trailing-slashes: link/ was not archived as the link: $(tar -tvf sts-a.tar)"
(cd sts && "$UCP" --tar link/ ../sts-b.tar) || fail "--tar link/ failed"
tar -tf sts-b.tar | grep -qx 'link/sub/x' || fail "link/ did not archive the directory"
