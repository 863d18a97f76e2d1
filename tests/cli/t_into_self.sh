#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copying a directory into itself is refused before anything is created.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p a/b
printf 'x\n' >a/x
printf 'y\n' >a/b/y
before=$(find a -printf '%y %s %P\n' | sort)

ucp_try -r a a/b
expect_rc 1
expect_err_line "ucp: cannot copy a directory, 'a', into itself, 'a/b/a'"
assert_absent a/b/a

ucp_try -r a a
expect_rc 1 "a into a"
expect_err_line "ucp: cannot copy a directory, 'a', into itself, 'a/a'"
assert_absent a/a

ucp_try -rT a a/b/c
expect_rc 1 "-T a a/b/c"
expect_err_line "ucp: cannot copy a directory, 'a', into itself, 'a/b/c'"
assert_absent a/b/c

ucp_try -r a/ a/b/
expect_rc 1 "with trailing slashes"
assert_absent a/b/a

after=$(find a -printf '%y %s %P\n' | sort)
[ "$before" = "$after" ] || fail "the source tree changed: $after"

# A destination that is a symbolic link to a directory of the source (a
# mirror's documented way), or a bind mount of one: the copy met in the
# source is not copied into itself, level after level until the disk was
# full; an error naming it, the rest copied. (As root, in a small tmpfs,
# and with a time limit: a run that loops must not fill the machine.)
mkdir lim
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=20m,nr_inodes=20000 tmpfs lim 2>/dev/null; then
	trap "umount '$PWD/lim/bm' 2>/dev/null || true; umount '$PWD/lim' 2>/dev/null || true" EXIT
fi
cd lim
mkdir -p s/sub
printf 'f\n' >s/f
printf 'g\n' >s/sub/g
ln -s s/sub M
UCP_WRAP="timeout 60 ${UCP_WRAP-}" ucp_try --sync s M
expect_rc 1 "--sync into a link to the source's s/sub"
expect_err_line "ucp: cannot copy a directory, 's/sub', into itself, 'M/sub'"
assert_absent s/sub/sub
[ "$(cat s/sub/f)" = f ] || fail "the rest was not mirrored"
rm s/sub/f
UCP_WRAP="timeout 60 ${UCP_WRAP-}" ucp_try -rT s M/
expect_rc 1 "-rT into a link to the source's s/sub"
assert_absent s/sub/sub
if [ "$(id -u)" = 0 ] && mkdir bm && mount --bind s/sub bm 2>/dev/null; then
	UCP_WRAP="timeout 60 ${UCP_WRAP-}" ucp_try -r s bm/dst
	umount bm
	expect_rc 1 "-r into a bind mount of the source's s/sub"
	expect_err_line "ucp: cannot copy a directory, 's/sub/dst', into itself, 'bm/dst/sub/dst'"
	assert_absent s/sub/dst/sub/dst
fi
cd ..

# A destination whose last name is "..": the directory it names (the
# source's parent), not one inside the source; copied into as cp -rT and
# rsync do, and --delete refused with its own reason.
mkdir -p up/t/d
printf 'a\n' >up/t/d/a
ucp_try -rT up/t/d up/t/d/..
expect_ok
[ "$(cat up/t/a)" = a ] || fail "-rT d d/..: not copied into the parent"
ucp_try --sync --delete up/t/d up/t/d/..
expect_rc 1 "--sync --delete into the source's parent"
expect_err_line "ucp: will not mirror 'up/t/d' into 'up/t/d/..' with --delete: the mirror contains the source"
