#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A destination that is a hard link of the source (another name of its
# inode): --remove-destination removes it and a backup moves it aside, so
# the copy is a file of its own, as cp makes it; the way to give the names
# of a cp -al snapshot copies of their own. (Both were refused as "the
# same file", exit 1.) The source's own name is still refused, also when
# -L makes a source directory the destination's.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'data\n' >g
ln g h
ucp_try --remove-destination g h
expect_ok
[ "$(stat -c %h g)" = 1 ] && [ "$(stat -c %h h)" = 1 ] ||
	fail "--remove-destination: g has $(stat -c %h g) links, h $(stat -c %h h)"
cmp g h || fail "--remove-destination: h differs"
ln -f g h
ucp_try -b g h
expect_ok
[ "$(stat -c %i h~)" = "$(stat -c %i g)" ] || fail "-b: h~ is not the old h"
[ "$(stat -c %h h)" = 1 ] && cmp g h || fail "-b: h is not a copy of its own"

# A snapshot made with cp -al, its names given copies of their own.
mkdir src
printf '1\n' >src/a
printf '2\n' >src/b
cp -al src snap
ucp_try -a --remove-destination src/. snap
expect_ok
for f in a b; do
	[ "$(stat -c %h "snap/$f")" = 1 ] || fail "snap/$f still has $(stat -c %h "snap/$f") links"
	cmp "src/$f" "snap/$f" || fail "snap/$f differs"
done

# The same name: refused, and nothing lost.
ucp_try --remove-destination g g
expect_rc 1
expect_err_has "'g' and 'g' are the same file"
[ "$(cat g)" = data ] || fail "g was lost"
mkdir -p s2 d2/x
printf 'keep\n' >d2/x/f
ln -s ../d2/x s2/x
for how in --remove-destination -b; do
	ucp_try -rL "$how" s2/. d2
	expect_rc 1
	expect_err_has "are the same file"
	[ "$(cat d2/x/f)" = keep ] || fail "-rL $how: the source's own file was replaced"
done
