#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Which members --tar writes, and under which names. --exclude and
# --include pick them by member name, rsync's way (an excluded directory
# is not entered; the first rule that matches decides); the other --sync
# options, and cp's that an archive mode would ignore, are refused there.
# An operand's components up to its last '..' are removed from the member
# names with a warning, as GNU tar does, so that --untar takes the archive.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p w/src/build w/src/d
cd w
printf 'a\n' >src/a.c
printf 'o\n' >src/a.o
printf 'k\n' >src/keep.o
printf 'b\n' >src/build/out
printf 'x\n' >src/d/x.c

members() { ucp_try --list "$1" && expect_ok && sort "$T_OUT"; }
ucp_try --tar --include=keep.o --exclude='*.o' --exclude=build/ src s.tar
expect_ok
got=$(members s.tar | tr '\n' ' ')
want='src/ src/a.c src/d/ src/d/x.c src/keep.o '
[ "$got" = "$want" ] || fail "members: '$got', want '$want'"
# An anchored pattern matches from the member name's start.
ucp_try --tar --exclude=/src/d src s2.tar
expect_ok
members s2.tar | grep -q '^src/d' && fail "--exclude=/src/d left src/d in"
members s2.tar | grep -qx 'src/a.c' || fail "--exclude=/src/d took src/a.c"

# The other sync options are refused, naming the mode.
expect_usage_error "ucp: --delete does not apply to --tar" --tar --delete src x.tar
expect_usage_error "ucp: --filter does not apply to --tar" --tar --filter='- a' src x.tar
expect_usage_error "ucp: --exclude does not apply to --untar" --untar --exclude=a s.tar out
expect_usage_error "ucp: --checksum does not apply to --list" --list --checksum s.tar
expect_usage_error "ucp: --exclude needs --sync or --tar" -r --exclude=a src out
# So are cp's options that an archive mode would ignore: --untar -n would
# overwrite what it was told to keep, --tar -L archive a link as a link.
expect_usage_error "ucp: --no-clobber does not apply to --untar" --untar -n s.tar out
expect_usage_error "ucp: --backup does not apply to --untar" --untar --backup=numbered s.tar out
expect_usage_error "ucp: --update does not apply to --untar" --untar -u s.tar out
expect_usage_error "ucp: --dereference does not apply to --tar" --tar -L src x.tar
expect_usage_error "ucp: -H does not apply to --tar" --tar -H src x.tar
expect_usage_error "ucp: --link does not apply to --list" --list -l s.tar
assert_absent x.tar
assert_absent out

# '..' in an operand: what leads up to the last one is removed.
mkdir -p in/sub
printf 'f\n' >in/f
printf 'g\n' >in/sub/g
(
	cd in/sub
	ucp_try --tar ../f ../../in/sub/g .. ../../dd.tar
	expect_ok
	expect_err_has "warning: removing leading '../' from '../f'"
	expect_err_has "warning: removing leading '../../' from '../../in/sub/g'"
	expect_err_has "warning: removing leading '..' from '..'"
)
got=$(members dd.tar | tr '\n' ' ')
want='./ f f in/sub/g sub/ sub/g '
[ "$got" = "$want" ] || fail "members: '$got', want '$want'"
ucp_try --untar dd.tar ddx
expect_ok
assert_same_file in/f ddx/f
assert_same_file in/sub/g ddx/in/sub/g
assert_same_file in/sub/g ddx/sub/g

# An operand is a member too: an anchored pattern leaves it out whole.
ucp_try --tar --exclude=/src src none.tar
expect_ok
[ -z "$(members none.tar)" ] || fail "--exclude=/src: members left: $(members none.tar)"
