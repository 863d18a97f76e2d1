#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --parents copies SRC to DIR/SRC, creating the missing directories of SRC
# (with -p, with their source's mode and times; without, their mode less
# the umask, a sticky bit kept), as cp --parents does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/a/b src/c got want gotp wantp
printf 'f\n' >src/a/b/f
printf 'g\n' >src/c/g
chmod 750 src/a
chmod 700 src/a/b
# A sticky directory on the way keeps its sticky bit (less the umask).
mkdir -p src/c/tmp
printf 't\n' >src/c/tmp/t
chmod 1777 src/c/tmp
touch -d '2001-02-03 04:05:06.789' src/a/b src/a

# describe DIR [times]: every entry with its mode (and mtime).
describe() {
	(cd "$1" && find . -print | LC_ALL=C sort | while read -r p; do
		printf '%s %s' "$p" "$(stat -c %a "$p")"
		[ -z "${2-}" ] || printf ' %s' "$(stat -c %y "$p")"
		printf '\n'
	done)
}

ucp_try -r --parents src/a/b/f src/c/tmp/t got
expect_ok
cp -r --parents src/a/b/f src/c/tmp/t want
[ "$(describe got)" = "$(describe want)" ] || {
	diff <(describe got) <(describe want) >&2 || true
	fail "--parents differs from cp"
}

ucp_try -rp --parents src/a/b/f src/c gotp
expect_ok
cp -rp --parents src/a/b/f src/c wantp
# With -p the times are kept too (also of the created src/a and src/a/b).
# Not compared: '.' (made by the test) and 'src', shared by both operands:
# cp gives it its times after the first and then adds src/c to it, while
# ucp sets them when the run ends, so ucp's keeps the source's mtime.
[ "$(describe gotp times | grep -v '^\.\(/src\)\? ')" = "$(describe wantp times | grep -v '^\.\(/src\)\? ')" ] || {
	diff <(describe gotp times) <(describe wantp times) >&2 || true
	fail "-p --parents differs from cp"
}

[ "$(stat -c %y gotp/src)" = "$(stat -c %y src)" ] ||
	fail "-p --parents: gotp/src lost its source's mtime"

ucp_try --parents src/a/b/f notadir
expect_rc 2
expect_err_has "with --parents, the destination must be a directory"

# Nested operands share the directories they make: no "File exists" for
# the run's own entries, as cp.
rm -rf na ndst
mkdir -p na/b ndst
printf 'x\n' >na/b/f
ucp_try --parents -r na na/b ndst
expect_ok
mkdir -p ndst2
ucp_try --parents -r na/b na/b/f ndst2
expect_ok
[ "$(cat ndst2/na/b/f)" = x ] || fail "--parents nested operands: f not copied"

# -v names each directory it makes, as cp -v --parents, then the file; a
# directory there already is not named.
rm -rf vdst
mkdir -p vdst/src
ucp_try -v --parents src/a/b/f vdst
expect_ok
want="'src/a' -> 'vdst/src/a'
'src/a/b' -> 'vdst/src/a/b'
'src/a/b/f' -> 'vdst/src/a/b/f'"
[ "$(cat "$T_OUT")" = "$want" ] || {
	show_last
	fail "-v --parents did not name the directories it made"
}
