#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -p and --preserve keep mode (setuid, setgid, sticky), ownership (as root)
# and nanosecond mtimes on files, directories (also read-only ones) and
# symlinks, exactly as cp -p does on the same tree; --no-preserve drops.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/ro src/sticky src/sub/deeper
printf 'a\n' >src/plain
printf 'b\n' >src/suid
printf 'c\n' >src/ro/inside
printf 'd\n' >src/sub/deeper/f
ln -s plain src/link
mkfifo src/fifo
chmod 4755 src/suid
chmod 2750 src/sub
chmod 1777 src/sticky
touch -h -d '1969-07-20 20:17:40.123456789 UTC' src/link
touch -d '2001-02-03 04:05:06.987654321 UTC' src/plain src/sub/deeper/f
touch -d '1950-01-01 00:00:00.5 UTC' src/suid src/fifo
touch -d '2010-10-10 10:10:10.000000001 UTC' src/sub/deeper src/sub src/sticky
if [ "$(id -u)" = 0 ]; then
	chown 1234:5678 src/plain src/sub src/link
	chown -h 4321:8765 src/link
fi
chmod 555 src/ro
touch -d '2020-02-02 02:02:02.2 UTC' src/ro src

# Every field cp -p keeps: type, mode, owner, group, mtime (ns), size.
describe() {
	(cd "$1" && find . -printf '%p|%y|%m|%U|%G|%T@|%s\n' | sort)
}

ucp_try -rp src dst
expect_ok
cp -rp src ref
describe ref >want
describe dst >got
diff -u want got >&2 || fail "ucp -rp differs from cp -rp (- cp, + ucp)"

ucp_try -r --preserve=mode,timestamps src dst2
expect_ok
cp -r --preserve=mode,timestamps src ref2
describe ref2 >want
describe dst2 >got
diff -u want got >&2 || fail "--preserve=mode,timestamps differs from cp"

ucp_try -r -p --no-preserve=timestamps src dst3
expect_ok
[ "$(stat -c %Y dst3/plain)" != "$(stat -c %Y src/plain)" ] ||
	fail "--no-preserve=timestamps kept the mtime"
[ "$(stat -c %a dst3/suid)" = 4755 ] || fail "--no-preserve=timestamps lost the mode"

ucp_try -r --preserve=mode,bogus src dst4
expect_rc 2 "unsupported attribute"
[ ! -e dst4 ] || fail "a usage error created the destination"
