#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --attributes-only copies no data: a missing file is created empty, an
# existing one keeps its data and takes the attributes asked for, as cp.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/sub
printf 'data\n' >src/f
printf 'more\n' >src/sub/g
chmod 640 src/f
touch -d '2002-03-04 05:06:07.5' src/f

for who in got want; do
	mkdir "$who"
	printf 'keep me\n' >"$who/f"
	chmod 600 "$who/f"
done
ucp_try -r -p --attributes-only src/. got
expect_ok
cp -r -p --attributes-only src/. want
for p in f sub/g; do
	a=$(stat -c '%s %a %y' "got/$p")
	b=$(stat -c '%s %a %y' "want/$p")
	[ "$a" = "$b" ] || fail "$p: got '$a', cp gives '$b'"
	cmp -s "got/$p" "want/$p" || fail "$p: contents differ from cp's"
done
[ "$(cat got/f)" = "keep me" ] || fail "existing data was touched"
[ ! -s got/sub/g ] || fail "a new file got data"

# -a keeps hard links among the empty copies, as cp -a --attributes-only.
mkdir hl
printf 'x\n' >hl/f
ln hl/f hl/g
ucp_try -a --attributes-only hl hl_copy
expect_ok
[ "$(stat -c %i hl_copy/f)" = "$(stat -c %i hl_copy/g)" ] ||
	fail "-a --attributes-only parted the hard links"
[ "$(stat -c %s hl_copy/f)" = 0 ] || fail "-a --attributes-only copied data"

# --no-preserve=mode: a new file gets the default mode, 0666 less the
# umask, as a copy does and as cp gives it (it got the source's bits).
mkdir nm
printf 'x\n' >nm/f
chmod 500 nm/f
for how in -r -a; do
	rm -rf "nm_copy$how"
	(
		umask 022
		ucp_try "$how" --no-preserve=mode --attributes-only nm "nm_copy$how"
		expect_ok "$how --no-preserve=mode --attributes-only"
	)
	[ "$(stat -c %a "nm_copy$how/f")" = 644 ] ||
		fail "$how --no-preserve=mode --attributes-only: mode $(stat -c %a "nm_copy$how/f"), not 644"
done

# A symbolic link where the source has a file: never written through (cp
# gives its target the attributes), nor given some of them itself (it
# took the owner and times, then "Operation not supported" of its mode):
# said, nothing changed; without -p there is nothing to give, and it is
# left alone as before.
mkdir -p al/S al/D
printf 'data\n' >al/S/e
chmod 600 al/S/e
touch -d '2015-01-01 00:00:00' al/S/e
printf 'v\n' >al/victim
chmod 644 al/victim
ln -s ../victim al/D/e
touch -h -d '2001-01-01 00:00:00' al/D/e
ucp_try -a --attributes-only al/S/. al/D
expect_rc 1
expect_err_line "ucp: not giving a file's attributes through symlink 'al/D/./e'"
[ "$(stat -c %Y al/D/e)" = "$(date -d '2001-01-01 00:00:00' +%s)" ] || fail "the link's time changed"
[ "$(stat -c %a al/victim)" = 644 ] && [ "$(cat al/victim)" = v ] || fail "written through the link"
ucp_try -r --attributes-only al/S/. al/D
expect_ok
