#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# ucp --tar then ucp --untar -a gives back the tree field by field: types,
# modes (set-id and sticky bits too), owners (as root), ns mtimes of files,
# directories and symlinks, symlink targets, hard-link groups, xattrs and
# ACLs, sparse files with their holes, and odd names. The same holds through
# a pipe ('-' on both sides) and for every compression libarchive can write.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/a/b src/c src/empty_dir
printf 'one\n' >src/a/f
ln src/a/f src/c/f_link
ln src/a/f src/a/b/f_again
: >src/empty
head -c 300000 /dev/urandom >src/big
head -c 3000000 /dev/urandom >src/huge
ln -s a/f src/sym
ln -s /nonexistent/target src/dangling
ln src/sym src/c/sym_hard
mkfifo src/fifo
printf 'odd\n' >"src/sp ace"
printf 'nl\n' >"src/new
line"
printf 'utf\n' >"src/h$(printf '\xc3\xa9')t$(printf '\xc3\xa9')"
printf 'bad\n' >"src/bad$(printf '\xff\xfe')utf8"
printf 'dash\n' >src/-dash
long=$(printf 'L%.0s' $(seq 200))
printf 'long\n' >"src/$long"
mkdir -p "src/deep/$long/$long/$long"
printf 'deep\n' >"src/deep/$long/$long/$long/f"
truncate -s 64M src/sparse
printf 'mid' | dd of=src/sparse bs=1 seek=$((32 * 1024 * 1024)) conv=notrunc status=none
truncate -s 8M src/hole_only
# Sparse files whose names are not UTF-8 and longer than the ustar name
# field, alike in their first 100 bytes: libarchive's pax writer cut such
# a sparse member's name to those 100 (two came out as one file).
badlong="src/bad$(printf '\xff')dir/$(printf 'x%.0s' $(seq 110))"
mkdir "${badlong%/*}"
for s in A B; do
	truncate -s 1M "$badlong$s"
	printf 'content %s\n' "$s" >>"$badlong$s"
done
chmod 4755 src/big
chmod 2750 src/a
chmod 1777 src/c
chmod 600 src/empty
chmod 444 src/-dash
touch -d '2003-03-03 03:03:03.303030303 UTC' src/a/f src/empty
touch -h -d '1999-09-09 09:09:09.9 UTC' src/sym
touch -d '2011-11-11 11:11:11.111111111 UTC' src/c src/empty_dir
xattrs=0
if setfattr -n user.probe -v 1 src/empty 2>/dev/null; then
	setfattr -x user.probe src/empty
	setfattr -n user.color -v blue src/a/f
	setfattr -n user.dir -v yes src/a/b
	if setfacl -m u:65534:r-x src/big 2>/dev/null &&
		setfacl -d -m u:65534:rwx src/a/b 2>/dev/null; then
		xattrs=1
		# A mask wider than the owning group's entry: the file's group
		# bits are the mask's (rwx), not the group's (r--).
		printf 'acl\n' >src/a/acl_mask
		chmod 640 src/a/acl_mask
		setfacl -m u:65534:rwx src/a/acl_mask
		touch -d '2003-03-03 03:03:03 UTC' src/a/acl_mask
	fi
fi
if [ "$(id -u)" = 0 ]; then
	chown 1111:2222 src/empty src/a/f
	chown -h 3333:4444 src/sym
	mknod src/null_dev c 1 3 2>/dev/null || true
	# Attributes of a symlink, a FIFO and a device (only trusted.* and
	# security.* are allowed there) go along too.
	if [ "$xattrs" = 1 ]; then
		setfattr -h -n trusted.on_link -v 1 src/sym
		setfattr -n trusted.on_fifo -v 2 src/fifo
		[ ! -e src/null_dev ] || setfattr -n trusted.on_dev -v 3 src/null_dev
	fi
	touch -h -d '2005-05-05 05:05:05.5 UTC' src/null_dev 2>/dev/null || true
fi
touch -d '2022-02-02 02:02:02.020202020 UTC' src/a/b src/a src

# Type, mode, owner, group, mtime (ns), size, link count and target of
# every entry; the hard-link groups; xattrs and ACLs.
describe() {
	(
		cd "$1"
		find . -printf '%p|%y|%m|%U|%G|%T@|%s|%n|%l\n' | sort
		find . -type c -printf '%p ' -exec stat -c '%t:%T' {} \;
		find . ! -type d -printf '%i %p\n' | sort -k1,1n -k2 |
			awk '$1 != last { if (g) print g; g = ""; last = $1 }
			     { g = g " " $2 } END { if (g) print g }' | sort
		if [ "$xattrs" = 1 ]; then
			getfattr -R -h -d -m - -e hex . 2>/dev/null | grep -v '^$'
			find . ! -type l -print0 | sort -z |
				xargs -0 getfacl -cp 2>/dev/null
		fi
	)
}

describe src >want

ucp_try --tar src a.tar
expect_ok
ucp_try --untar -a a.tar out
expect_ok
describe out/src >got
diff -u want got >&2 || fail "round trip through a.tar differs (- source, + copy)"
# Without -a no ACL comes back (it carries permissions): the umask alone
# decides the mode, as tar -x without --acls does.
if [ "$xattrs" = 1 ]; then
	mkdir plain_out
	# (As root the device node is refused without -a: exit 1 then.)
	(umask 077 && run_ucp --untar a.tar plain_out 2>/dev/null) || true
	[ "$(stat -c %a plain_out/src/a/acl_mask)" = 600 ] ||
		fail "without -a, acl_mask is $(stat -c %a plain_out/src/a/acl_mask), want 600"
	if getfacl -c plain_out/src/a/acl_mask 2>/dev/null | grep -q '^user:[^:]'; then
		fail "an ACL was restored without -a"
	fi
fi
[ "$(stat -c %b out/src/sparse)" -lt 4096 ] ||
	fail "the sparse file lost its holes ($(stat -c %b out/src/sparse) blocks)"
for s in A B; do
	cmp "$badlong$s" "out/$badlong$s" || fail "the sparse file with a long name that is not UTF-8 ($s) differs"
done

# Through a pipe, as with ssh.
RC=0
run_ucp --tar src - 2>err1 | run_ucp --untar -a - piped 2>err2 || RC=$?
[ "$RC" = 0 ] || fail "pipe round trip exited $RC: $(cat err1 err2)"
describe piped/src >got
diff -u want got >&2 || fail "round trip through a pipe differs"

# The archive never contains itself, even when written inside the tree.
ucp_try --tar src src/self.tar
expect_ok
ucp_try --list src/self.tar
expect_ok
if grep -q 'self.tar' "$T_OUT"; then
	fail "the archive contains itself"
fi
rm src/self.tar
touch -d '2022-02-02 02:02:02.020202020 UTC' src

for c in gz bz2 xz zst lz4; do
	rm -rf "x_$c"
	ucp_try --tar src "a.tar.$c"
	expect_ok
	ucp_try --untar -a "a.tar.$c" "x_$c"
	expect_ok
	describe "x_$c/src" >got
	diff -u want got >&2 || fail "round trip through a.tar.$c differs"
done
