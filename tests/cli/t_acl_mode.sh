#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A POSIX ACL holds permissions, so it goes with the mode, as in cp: -p and
# --preserve=mode keep it (a file's, a directory's default one), -r does
# not. Into a directory with a default ACL, -p's copy has the source's
# mode, not the one the default ACL gave it. Onto a file system that
# cannot hold it (ramfs, mounted by the test as root), the copy is made
# but the ACL's loss is an error naming the file, exit 1, as with cp -p:
# the copy's mode alone would let in a user the source shuts out; also
# when an attribute listed before the ACL was refused first, and on every
# --sync, not only the first.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfacl >/dev/null && command -v getfacl >/dev/null ||
	skip "setfacl/getfacl not installed (package acl)"
printf 'secret\n' >deny
setfacl -m u:65534:--- deny 2>/dev/null || skip "this file system takes no ACL"
mkdir dd
setfacl -d -m u:65534:r-x dd
acl_of() { getfacl -cp "$1" 2>/dev/null | grep -v '^#' | LC_ALL=C sort; }
for opt in -p --preserve=mode -a; do
	rm -rf "c$opt" "d$opt"
	ucp_try "$opt" deny "c$opt"
	expect_ok
	[ "$(acl_of "c$opt")" = "$(acl_of deny)" ] || fail "$opt: the file's ACL was not kept: $(acl_of "c$opt")"
	ucp_try -r "$opt" dd "d$opt"
	expect_ok
	[ "$(acl_of "d$opt")" = "$(acl_of dd)" ] || fail "$opt: the directory's ACL was not kept: $(acl_of "d$opt")"
done
ucp_try -r deny plain
expect_ok
acl_of plain | grep -q nobody && fail "-r kept the ACL"

# --sync: a mirror whose ACL could not be written (the fault hook says
# the file system takes none) is tried again by the next run, which
# found nothing to do (its time was the source's).
if has_hooks; then
	mkdir ms
	cp -a deny ms/f
	UCP_FAULT=xattr:1+:ENOTSUP ucp_try --sync ms mm
	expect_rc 1 "--sync, the ACL refused"
	expect_err_line "ucp: cannot preserve the ACL of 'mm/f': Operation not supported"
	ino=$(stat -c %i mm/f)
	ucp_try --sync --itemize-changes ms mm
	expect_ok
	[ "$(acl_of mm/f)" = "$(acl_of deny)" ] || fail "the next --sync did not mend the ACL: $(acl_of mm/f)"
	# (Its data were whole: they are not copied again.)
	[ "$(stat -c %i mm/f)" = "$ino" ] || fail "the next --sync copied the data again: $(cat "$T_OUT")"
	[ "$(stat -c %Y mm/f)" = "$(stat -c %Y ms/f)" ] || fail "the next --sync left the time marked"
	ucp_try --sync --itemize-changes ms mm
	expect_ok
	[ ! -s "$T_OUT" ] || fail "a third --sync still changes: $(cat "$T_OUT")"
fi

# The default ACL takes the others' read from a new file; -p gives the
# source's mode back (it was 640), to a FIFO too.
mkdir narrow
setfacl -d -m o::--- narrow
printf 'open\n' >open
chmod 644 open
mkfifo pipe
chmod 644 pipe
for opt in -rp -a; do
	ucp_try "$opt" open pipe narrow
	expect_ok
	[ "$(stat -c %a narrow/open narrow/pipe)" = "644
644" ] || fail "$opt: under a default ACL: $(stat -c '%a %n' narrow/open narrow/pipe)"
	rm narrow/open narrow/pipe
done

# The rest needs a file system without ACLs (a ramfs, mounted as root).
need_root "mounting a ramfs (a file system without ACLs) needs root"
mkdir ram
mount -t ramfs ramfs ram 2>/dev/null || skip "cannot mount a ramfs (a file system without ACLs) here"
trap 'umount ram' EXIT
ucp_try -a deny ram/c
expect_rc 1 "-a onto a file system without ACLs"
expect_err_line "ucp: cannot preserve the ACL of 'ram/c': Operation not supported"
cmp deny ram/c || fail "the data were not copied"
ucp_try -r deny ram/r
expect_ok

# An attribute first in the list, refused too: the ACL is still tried,
# and its loss said.
printf 'secret\n' >noted
setfattr -n user.note -v hi noted 2>/dev/null || skip "the test directory takes no user attributes"
setfacl -m u:65534:---,g::---,o::--- noted
getfattr -m - -d noted 2>/dev/null | grep -q '^user.note' || fail "the test's xattr is not there"
ucp_try -a noted ram/n
expect_rc 1 "-a onto a file system without ACLs or xattrs"
expect_err_line "ucp: cannot preserve the ACL of 'ram/n': Operation not supported"

# --sync says it on every run, and tries the ACL again, not the data: the
# copy stays the same file (a rewrite would make it another).
mkdir s
cp -a deny s/f
for run in 1 2 3; do
	ucp_try --sync --itemize-changes s ram/m
	expect_rc 1 "--sync run $run onto a file system without ACLs"
	expect_err_line "ucp: cannot preserve the ACL of 'ram/m/f': Operation not supported"
	ino=$(stat -c %i ram/m/f)
	[ "$run" = 1 ] || [ "$ino" = "$first_ino" ] ||
		fail "--sync run $run copied the data again: $(cat "$T_OUT")"
	[ "$run" = 1 ] || ! grep -q '^>f' "$T_OUT" ||
		fail "--sync run $run lists a data copy: $(cat "$T_OUT")"
	first_ino=$ino
done
cmp deny ram/m/f || fail "the mirror's data differ"
