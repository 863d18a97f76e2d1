#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# In the C locale (cron's, a container's), names that are not ASCII go
# into a pax archive and out of one whole and without a word: libarchive
# warned "Can't translate pathname" on --tar and "can't be converted
# from UTF-8" on --untar and --list, once per name. --tar stores them as
# their bytes, marked so (hdrcharset=BINARY), which bsdtar extracts in the
# C locale too (it fails on UTF-8 names there, GNU tar's as well).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8' || skip "no C.UTF-8 locale installed"
mkdir -p src/d
printf 'x\n' >"src/d/caf$(printf '\303\251')"
printf 'y\n' >"src/d/$(printf '\346\227\245\346\234\254')"
# (GNU tar's archive: UTF-8 names only here; see the end for a Latin-1
# one, which it puts in a UTF-8 record as it is.)
LC_ALL=C tar -cf g.tar --format=pax src
printf 'z\n' >"src/d/lat$(printf '\351')"
LC_ALL=C ucp_try --tar src u.tar
expect_ok
expect_err_empty
for a in u.tar g.tar; do
	rm -rf out
	LC_ALL=C ucp_try --untar "$a" out
	expect_ok
	expect_err_empty
	[ "$a" = g.tar ] || cmp_trees src out/src
	[ "$a" = u.tar ] || cmp -s src/d/caf* out/src/d/caf* || fail "$a: the UTF-8 name did not come out whole"
	LC_ALL=C ucp_try --list "$a"
	expect_ok
	expect_err_empty
	expect_out_line "src/d/caf$(printf '\303\251')"
done
if command -v bsdtar >/dev/null; then
	mkdir bx
	LC_ALL=C bsdtar -xf u.tar -C bx || fail "bsdtar in the C locale cannot extract ucp's archive"
	cmp_trees src bx/src
fi

# In a UTF-8 locale likewise for a name that is not UTF-8 (Latin-1): --tar
# stores it as its bytes, and an archive GNU tar made with it as it is in
# a UTF-8 record comes out byte for byte; neither is said once per name,
# where GNU tar says nothing.
LC_ALL=C.UTF-8 ucp_try --tar src u8.tar
expect_ok
expect_err_empty
LC_ALL=C tar -cf g8.tar --format=pax src
for a in u8.tar g8.tar; do
	rm -rf out
	LC_ALL=C.UTF-8 ucp_try --untar "$a" out
	expect_ok
	expect_err_empty
	cmp -s src/d/lat* "out/src/d/lat$(printf '\351')" || fail "$a: the Latin-1 name did not come out whole"
done

# Sparse files with names of more than 100 bytes that are not ASCII, alike
# in their first 100, in the C locale: libarchive's pax writer would cut
# such a sparse member's name to 100 bytes there (two came out as one):
# they are archived whole, under their names.
mkdir sp
e=$(printf '\303\251')
long=""
for _ in $(seq 60); do long=$long$e; done
for x in A B; do
	truncate -s 1M "sp/$long$x"
	printf 'end %s\n' "$x" >>"sp/$long$x"
done
LC_ALL=C ucp_try --tar sp sp.tar
expect_ok
rm -rf out
LC_ALL=C ucp_try --untar sp.tar out
expect_ok
for x in A B; do
	cmp "sp/$long$x" "out/sp/$long$x" || fail "the sparse file $x with a long name came out otherwise"
done
