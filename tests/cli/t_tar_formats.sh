#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# What each archive format keeps and what it refuses. A zip made by
# --tar and extracted from a file keeps symbolic links and permission
# bits (its central directory is read); from a pipe, a warning says they
# are lost. A file from before 1970 is refused by ustar, gnutar, zip and
# cpio (exit 1, named, the other files written), kept by pax; one from
# after 2106 by zip, after 2242 by the tar formats but pax. A name that
# is not UTF-8 is refused by zip, kept by pax.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
printf 'x\n' >src/f
chmod 0750 src/f
ln -s f src/sl
chmod 0700 src/d
ucp_try --tar src a.zip
expect_ok
ucp_try --list -v a.zip
expect_ok
grep -Eq '^lrwxrwxrwx .* src/sl -> f$' "$T_OUT" || {
	show_last
	fail "--list -v of a zip: the symbolic link is not listed as one"
}
grep -Eq '^-rwxr-x--- .* src/f$' "$T_OUT" || {
	show_last
	fail "--list -v of a zip: src/f's mode is not 0750"
}
ucp_try --untar -a a.zip out
expect_ok
expect_err_empty
[ -L out/src/sl ] && [ "$(readlink out/src/sl)" = f ] ||
	fail "a zip's symbolic link came out as $(stat -c %F out/src/sl)"
[ "$(stat -c %a out/src/f)" = 750 ] ||
	fail "a zip's file mode: $(stat -c %a out/src/f), want 750"
[ "$(stat -c %a out/src/d)" = 700 ] ||
	fail "a zip's directory mode: $(stat -c %a out/src/d), want 700"
cmp src/f out/src/f || fail "a zip's file data differ"
# Its central directory is read first: the bytes done stop at its size.
if command -v jq >/dev/null; then
	rm -rf out
	ucp_try --untar --progress=json a.zip out
	expect_ok
	got=$(grep '"type":"summary"' "$T_ERR" | jq .bytes)
	[ "$got" = "$(stat -c %s a.zip)" ] ||
		fail "--untar of a zip counted $got bytes of $(stat -c %s a.zip)"
fi
# From a pipe: extracted, with a warning of what is lost; the modes, not
# known, are the umask's even with -a (libarchive's stand-ins, 0664 and
# 0775, are wider than the archived ones and the umask).
(
	umask 027
	ucp_try --untar -a - pipe_out < <(cat a.zip)
	expect_ok
	expect_err_has "warning: '-': a zip read from a pipe"
	cmp src/f pipe_out/src/f || fail "a zip from a pipe: data differ"
	[ "$(stat -c %a pipe_out/src/f)" = 640 ] && [ "$(stat -c %a pipe_out/src/d)" = 750 ] ||
		fail "a zip from a pipe with -a under umask 027: modes $(stat -c %a pipe_out/src/f) and $(stat -c %a pipe_out/src/d), want 640 and 750"
)

# A FIFO, which zip cannot hold: refused, named once (libarchive's words
# name it too: it was "cannot write 'fifo/p': fifo/p: zip format ...").
mkdir fifo
mkfifo fifo/p
ucp_try --tar fifo f.zip
expect_rc 1 "a FIFO into a zip"
expect_err_line "ucp: cannot write 'fifo/p': zip format cannot archive named pipes"

# A file from before 1970.
mkdir old
printf 'new\n' >old/new
printf 'old\n' >old/old
touch -d '1960-01-01 00:00:00 UTC' old/old
for fmt in ustar gnutar zip cpio; do
	ucp_try --tar --format="$fmt" old "old.$fmt"
	expect_rc 1 "$fmt: a time before 1970"
	expect_err_has "cannot write 'old/old': "
	grep -q 'before 1970' "$T_ERR" || {
		show_last
		fail "$fmt: the error does not say why"
	}
	ucp_try --list "old.$fmt"
	expect_ok
	grep -qx 'old/new' "$T_OUT" || {
		show_last
		fail "$fmt: the other file was not written"
	}
	if grep -qx 'old/old' "$T_OUT"; then
		show_last
		fail "$fmt: the refused file is in the archive"
	fi
done
ucp_try --tar --format=pax old old.pax
expect_ok
ucp_try --untar -a old.pax px
expect_ok
[ "$(stat -c %Y px/old/old)" = "$(stat -c %Y old/old)" ] ||
	fail "pax: the time before 1970 came back as $(stat -c %y px/old/old)"

# A file from after 2106 (a zip's 32 bits, which libarchive wraps) and
# after 2242 (tar's 11 octal digits, which its gnutar clamps): refused,
# named, the others written; pax keeps them.
mkdir late
printf 'now\n' >late/now
printf 'a\n' >late/y2107
printf 'b\n' >late/y2300
touch -d '2107-01-01 00:00:00 UTC' late/y2107
touch -d '2300-01-01 00:00:00 UTC' late/y2300
for fmt in zip gnutar ustar; do
	ucp_try --tar --format="$fmt" late "late.$fmt"
	expect_rc 1 "$fmt: a time after 2106 or 2242"
	expect_err_has "cannot write 'late/y2300': "
	ucp_try --list "late.$fmt"
	expect_ok
	grep -qx 'late/now' "$T_OUT" || fail "$fmt: the other file was not written"
	grep -qx 'late/y2300' "$T_OUT" && fail "$fmt: the file from 2300 is in the archive"
	[ "$fmt" != zip ] || ! grep -qx 'late/y2107' "$T_OUT" ||
		fail "zip: the file from 2107 is in the archive"
done
ucp_try --tar --format=pax late late.pax
expect_ok
ucp_try --untar -a late.pax lt
expect_ok
[ "$(stat -c %Y lt/late/y2300)" = "$(stat -c %Y late/y2300)" ] ||
	fail "pax: the time in 2300 came back as $(stat -c %y lt/late/y2300)"

# A name that is not UTF-8: refused by zip (libarchive flags every zip
# name UTF-8), named, the others written; pax keeps it.
mkdir names
printf 'bad\n' >"names/inv$(printf '\377')"
printf 'good\n' >"names/caf$(printf '\303\251')"
ucp_try --tar names names.zip
expect_rc 1 "zip: a name that is not UTF-8"
expect_err_line "ucp: cannot write 'names/inv\\xff': a name that is not UTF-8 does not fit the zip format; --format=pax keeps it"
ucp_try --untar names.zip nz
expect_ok
cmp "names/caf$(printf '\303\251')" "nz/names/caf$(printf '\303\251')" ||
	fail "zip: the UTF-8 name did not come back"
ucp_try --tar names names.tar
expect_ok
ucp_try --untar names.tar nt
expect_ok
cmp "names/inv$(printf '\377')" "nt/names/inv$(printf '\377')" ||
	fail "pax: the name that is not UTF-8 did not come back"

# A UTF-8 name under LC_ALL=C (ASCII) is listed whole, exit 0: not
# damage, and no longer a warning (ucp reads names as C.UTF-8 there).
mkdir -p loc
printf 'x\n' >"loc/$(printf 'caf\303\251')"
RC=0
LC_ALL=C.UTF-8 run_ucp --tar --format=zip loc loc.zip >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
RC=0
LC_ALL=C run_ucp --list loc.zip >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
expect_err_empty
[ "$(wc -l <"$T_OUT")" = 2 ] || fail "a member whose name cannot be shown was not listed: $(cat "$T_OUT")"
grep -qx "loc/$(printf 'caf\303\251')" "$T_OUT" || fail "the UTF-8 name was not listed whole: $(cat "$T_OUT")"

# ustar: a hard-linked file whose first name the format cannot hold (one
# component of 151 bytes: no split) is refused under that name, and its
# next name carries the data, as GNU tar writes it; the next name was a
# link member naming the refused one, and was refused too: the file's
# data was nowhere in the archive. (Operands are walked in their order.)
mkdir -p hl
long=$(printf 'q%.0s' $(seq 1 151))
printf 'data\n' >hl/zz
ln hl/zz "hl/$long"
ln hl/zz hl/zz2
ucp_try --tar --format=ustar "hl/$long" hl/zz hl/zz2 hl.tar
expect_rc 1 "ustar: a first name too long"
expect_err_has "cannot write 'hl/$long'"
expect_err_lacks "hl/zz'"
ucp_try --untar hl.tar hlo
expect_ok "ustar: the archive with the refused name left out"
[ "$(cat hlo/hl/zz)" = data ] || fail "ustar: hl/zz lost its data"
[ "$(stat -c %h hlo/hl/zz)" = 2 ] && [ hlo/hl/zz -ef hlo/hl/zz2 ] ||
	fail "ustar: hl/zz2 is not a hard link of hl/zz"

# zip holds no hard link: each name is a copy of its own, said once with a
# warning naming the first later name (it was silent), status 0.
mkdir -p zl
printf 'linked\n' >zl/a
ln zl/a zl/b
ln zl/a zl/c
ucp_try --tar zl/a zl/b zl/c zl.zip
expect_ok "zip of hard links"
expect_err_line "ucp: warning: 'zl/b': stored as a copy of its own, as every later name of a hard-linked file: the zip format holds no hard links (--format=pax keeps them)"
[ "$(grep -c 'stored as a copy' "$T_ERR")" = 1 ] || fail "zip: the copies were said more than once"
# ... a hard-linked symbolic link too (it was silent).
mkdir -p zs
ln -s target zs/l
ln zs/l zs/l2
ucp_try --tar zs/l zs/l2 zs.zip
expect_ok "zip of a hard-linked symbolic link"
expect_err_line "ucp: warning: 'zs/l2': stored as a copy of its own, as every later name of a hard-linked file: the zip format holds no hard links (--format=pax keeps them)"
ucp_try --untar zl.zip zlo
expect_ok
for n in a b c; do
	[ "$(cat zlo/zl/$n)" = linked ] || fail "zip: zl/$n lost its data"
done

# A format without sparse members stores holes as zeros (a disk image's
# terabyte of them): said once, for the first such file; pax keeps them
# and says nothing.
mkdir -p holes
truncate -s 8M holes/a holes/b
printf 'x\n' >holes/c
if [ "$(stat -c %b holes/a)" -lt 1024 ]; then
	for fmt in gnutar ustar cpio zip; do
		ucp_try --tar --format="$fmt" holes "h.$fmt"
		expect_ok
		[ "$(grep -c "its holes are stored as zeros" "$T_ERR")" = 1 ] || {
			show_last
			fail "--format=$fmt: the holes stored as zeros not said once"
		}
	done
	ucp_try --tar holes h.pax
	expect_ok
	expect_err_empty
fi

# ... said by the first such member written: one that fails (a name too
# long for ustar) does not spend it, and the next says it.
if [ "$(stat -c %b holes/a)" -lt 1024 ]; then
	mkdir -p holes1 holes2
	long=$(head -c 120 /dev/zero | tr '\0' n)
	truncate -s 8M "holes1/$long" holes2/b
	ucp_try --tar --format=ustar holes1 holes2 h2.ustar
	expect_rc 1 "a name too long for ustar"
	[ "$(grep -c "its holes are stored as zeros" "$T_ERR")" = 1 ] &&
		grep -q "'holes2/b': its holes are stored as zeros" "$T_ERR" || {
		show_last
		fail "the holes of the member written after a failed one not said"
	}
fi
