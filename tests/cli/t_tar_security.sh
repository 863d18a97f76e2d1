#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Crafted archives cannot write outside the extraction directory: '..'
# members, absolute paths (stripped with a warning), a symlink followed by a
# file through it, a file through a symlink that was already there, hard
# links to /etc/passwd and beyond '..', a 5,000-byte name and a device node
# are refused one by one, each named on stderr; the harmless members around
# them are extracted and the exit status is 1.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk=$TOP/tests/helpers/mkarchive
[ -x "$mk" ] || skip "tests/helpers/mkarchive not built"

mkdir -p work/outside work/dst
cd work
long=$(printf 'n%.0s' $(seq 5000))
passwd_links=$(stat -c %h /etc/passwd)
"$mk" evil.tar \
	f ok1 first \
	f ../escape1 x \
	f a/../../escape2 x \
	f /abs/file abs \
	l evil "$PWD/outside" \
	f evil/pwned x \
	h hl /etc/passwd \
	h hl2 ../../../../etc/passwd \
	f "$long" x \
	c dev \
	f ok2/last last

ln -s "$PWD/outside" dst/pre
"$mk" pre.tar f pre/pwned2 x f ok3 fine

ucp_try --untar evil.tar dst
expect_rc 1 "some members were refused"
expect_err_line "ucp: refusing member '../escape1': '..' in the member name"
expect_err_line "ucp: refusing member 'a/../../escape2': '..' in the member name"
expect_err_line "ucp: warning: removing leading '/' from '/abs/file'"
expect_err_line "ucp: refusing member 'evil/pwned': a parent is a symbolic link or not a directory"
expect_err_line "ucp: cannot extract 'hl': hard link target 'etc/passwd' is not there"
# (As for a name, and as GNU tar, the absolute target is said re-rooted.)
expect_err_line "ucp: warning: removing leading '/' from '/etc/passwd'"
expect_err_line "ucp: refusing member 'hl2': hard link target outside the directory"
expect_err_line "ucp: refusing member '$long': member name too long"
if [ "$(id -u)" = 0 ]; then
	expect_err_line "ucp: refusing member 'dev': device nodes are extracted only by root keeping their mode and owner (-a or -p)"
	# -a that keeps no owner: refused, and said so (it said 'with -a').
	ucp_try --untar -a --no-preserve=ownership evil.tar dst_noown
	expect_rc 1 "-a --no-preserve=ownership: a device node"
	expect_err_line "ucp: refusing member 'dev': device nodes are extracted only by root keeping their mode and owner (-a or -p)"
	[ ! -e dst_noown/dev ] || fail "a device node was created without its owner kept"
fi
[ "$(cat dst/ok1)" = first ] || fail "a harmless member before the bad ones is missing"
[ "$(cat dst/ok2/last)" = last ] || fail "a harmless member after the bad ones is missing"
[ "$(cat dst/abs/file)" = abs ] || fail "an absolute member did not land under DIR"
[ ! -e dst/hl ] || fail "a hard link to /etc/passwd was created"
[ ! -e dst/dev ] || fail "a device node was created without -a"
[ "$(stat -c %h /etc/passwd)" = "$passwd_links" ] || fail "/etc/passwd gained a link"

ucp_try --untar pre.tar dst
expect_rc 1 "a member through an existing symlink was refused"
expect_err_line "ucp: refusing member 'pre/pwned2': a parent is a symbolic link or not a directory"
[ "$(cat dst/ok3)" = fine ] || fail "the member after the refused one is missing"

# Nothing anywhere outside dst.
[ -z "$(ls -A outside)" ] || fail "files were written through a symlink: $(ls -A outside)"

# A file and a hard link through a symlink the archive made.
"$mk" evil2.tar l evil3 "$PWD/outside" f evil3/x x h evil3/y ok1
ucp_try --untar evil2.tar dst
expect_rc 1
[ -z "$(ls -A outside)" ] || fail "a link was made through a symlink: $(ls -A outside)"
for f in escape1 escape2 pwned pwned2; do
	[ -z "$(find .. -name "$f" 2>/dev/null)" ] || fail "'$f' landed outside DIR"
done
[ ! -e /abs/file ] || fail "an absolute path was written"

# A member that names the extraction directory itself ('.', '', './')
# and is not a directory: refused and named, never skipped in silence;
# the members after it are extracted.
"$mk" self.tar l . "$PWD/outside" f "" noname f ./after after d ./
rm -rf dself
ucp_try --untar self.tar dself
expect_rc 1 "members naming the directory itself"
expect_err_line "ucp: refusing member '.': names the extraction directory itself, and is not a directory"
expect_err_line "ucp: refusing member '': names the extraction directory itself, and is not a directory"
[ "$(cat dself/after)" = after ] || fail "the member after the refused ones is missing"
[ -d dself ] && [ ! -L dself ] || fail "the extraction directory became $(stat -c %F dself)"
[ -z "$(ls -A outside)" ] || fail "written outside: $(ls -A outside)"

# Root with -a less an attribute the node has nothing of (links): the
# device is made (it was refused "only by root with -a" under -a).
if [ "$(id -u)" = 0 ]; then
	"$mk" dev.tar c node
	ucp_try --untar -a --no-preserve=links dev.tar devdst
	expect_ok
	[ -c devdst/node ] || fail "-a --no-preserve=links: the device node was not made"
fi

# An owner or group number no system holds (a pax header's uid=2^32 and
# beyond, or 2^32 - 1, which chown takes for "leave it"): cut to 32 bits
# it would be another one, root's, where --list shows it whole. Such a
# member is not extracted, an error naming it; the others are.
"$mk" ids.tar u big 4294967296 u minus1 4294967295 u huge 9223372036854775807 \
	u top 4294967294 u plain 1000
ucp_try --untar ids.tar idsdst
expect_rc 1 "--untar of members with owners out of range"
for m in big minus1 huge; do
	expect_err_line "ucp: cannot extract '$m': owner or group ID out of range (a malformed header)"
	[ ! -e "idsdst/$m" ] || fail "member '$m' with an owner out of range was extracted"
done
[ -f idsdst/top ] && [ -f idsdst/plain ] || fail "the members with owners in range are missing"
if [ "$(id -u)" = 0 ]; then
	[ "$(stat -c %u:%g idsdst/top)" = 4294967294:4294967294 ] ||
		fail "top's owner is $(stat -c %u:%g idsdst/top)"
	[ "$(stat -c %u:%g idsdst/plain)" = 1000:1000 ] ||
		fail "plain's owner is $(stat -c %u:%g idsdst/plain)"
fi
# --list shows them all, and fails as --untar does, naming each such member.
ucp_try --list ids.tar
expect_rc 1 "--list of members with owners out of range"
for m in big minus1 huge; do
	expect_err_line "ucp: cannot read archive 'ids.tar': member '$m': owner or group ID out of range (a malformed header)"
done
[ "$(wc -l <"$T_OUT")" = 5 ] || fail "--list listed $(wc -l <"$T_OUT") members of 5"

# So is a modification time libarchive cut to the ends of 64 bits (a pax
# "mtime=99999999999999999999", which GNU tar refuses): it was taken,
# exit 0, and --list -v showed a bare number.
"$mk" times.tar t late 9223372036854775807 t early -9223372036854775807 \
	t fine 1000000000
ucp_try --untar times.tar timesdst
expect_rc 1 "--untar of members with times out of range"
for m in late early; do
	expect_err_line "ucp: cannot extract '$m': modification time out of range (a malformed header)"
	assert_absent "timesdst/$m"
done
[ -f timesdst/fine ] || fail "the member with a time in range is missing"
ucp_try --list times.tar
expect_rc 1 "--list of members with times out of range"
expect_err_line "ucp: cannot read archive 'times.tar': member 'late': modification time out of range (a malformed header)"

# Many members with a leading '/' (tar -P's archive): said for the first
# one, as GNU tar says it once, not a line a member.
mkdir -p absrc
for i in 1 2 3 4 5; do printf '%s\n' "$i" >"absrc/f$i"; done
tar -cPf abs.tar "$PWD"/absrc/f*
ucp_try --untar abs.tar absout
expect_ok
[ "$(grep -c "removing leading '/'" "$T_ERR")" = 1 ] || {
	show_last
	fail "the leading '/' was not said once"
}
[ "$(cat "absout$PWD/absrc/f5")" = 5 ] || fail "an absolute member was not extracted below the directory"
