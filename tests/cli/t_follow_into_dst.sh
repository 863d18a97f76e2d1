#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# -L with a source link that leads to the destination, or above it: the
# copy would go into itself level after level until the disk is full (it
# made 24,000 levels in 5 s). Refused as a loop, "Too many levels of
# symbolic links", exit 1, as a link back up the source is; the rest is
# copied. -rL, and --sync -L.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p w/src
printf 'hi\n' >w/src/f
ln -s ../dst w/src/back
cd w
ucp_try -rL src dst
expect_rc 1
expect_err_line "ucp: cannot open directory 'src/back': Too many levels of symbolic links"
[ "$(find dst | wc -l)" = 2 ] || fail "-rL: the copy went into itself: $(find dst | wc -l) entries"
cmp -s src/f dst/f || fail "-rL: src/f not copied"

rm -rf dst
mkdir dst
ucp_try --sync -L src/ dst
expect_rc 1
expect_err_line "ucp: cannot open directory 'src/back': Too many levels of symbolic links"
[ "$(find dst | wc -l)" = 2 ] || fail "--sync -L: the mirror went into itself"

# A link above both: the destination inside it is refused as well.
rm -rf dst src/back
ln -s ../.. src/up
ucp_try -rL src dst
expect_rc 1
expect_err_has "ucp: cannot open directory 'src/up/w/dst': Too many levels of symbolic links"
[ "$(find dst -name f | wc -l)" -lt 10 ] || fail "-rL: the copy above went into itself"
