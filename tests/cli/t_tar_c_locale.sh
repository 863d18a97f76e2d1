#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# In the C locale (cron's, a container's), a UTF-8 name goes into a pax
# archive and out of one whole and without a word, as with GNU tar:
# libarchive warned "Can't translate pathname" on --tar and "can't be
# converted from UTF-8" on --untar, once per name. A name that is not
# UTF-8 is still said to be stored as raw bytes.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8' || skip "no C.UTF-8 locale installed"
mkdir -p src/d
printf 'x\n' >"src/d/caf$(printf '\303\251')"
printf 'y\n' >"src/d/$(printf '\346\227\245\346\234\254')"
LC_ALL=C ucp_try --tar src u.tar
expect_ok
expect_err_empty
LC_ALL=C tar -cf g.tar --format=pax src
for a in u.tar g.tar; do
	rm -rf out
	LC_ALL=C ucp_try --untar "$a" out
	expect_ok
	expect_err_empty
	cmp_trees src out/src
done
# Not UTF-8: stored raw, and said.
printf 'z\n' >"src/d/lat$(printf '\351')"
LC_ALL=C ucp_try --tar src raw.tar
expect_ok
expect_err_has "Can't translate pathname"
rm -rf out
LC_ALL=C ucp_try --untar raw.tar out
cmp_trees src out/src
