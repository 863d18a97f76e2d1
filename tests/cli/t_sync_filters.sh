#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --exclude/--include (and the -from files, also NUL-separated) select
# what --sync copies, as the man page's FILTER RULES say: first match wins,
# '/' anchors, a trailing '/' matches directories only, '**' crosses
# directories, an excluded directory is not entered.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/a/b src/build/sub src/keep/build src/docs
for f in a/x.c a/x.o a/b/y.c a/b/y.o build/sub/z.c keep/build/k.c keep/build \
	docs/r.txt top.c top.o 'odd*name.c'; do
	[ -d "src/$f" ] || printf '%s\n' "$f" >"src/$f"
done

# run NAME OPTION...: sync into NAME and print what it holds.
got() {
	rm -rf "$1"
	local name=$1
	shift
	ucp_try --sync "$@" src "$name"
	expect_ok
	(cd "$name" && find . -mindepth 1 ! -type d -printf '%P\n' | LC_ALL=C sort | tr '\n' ' ')
}

want() {
	[ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"
}

want "$(got t1 --exclude='*.o')" \
	"a/b/y.c a/x.c build/sub/z.c docs/r.txt keep/build/k.c odd*name.c top.c " "exclude *.o"
# A trailing slash: directories only (build/ the dir, not keep/build/k.c).
want "$(got t2 --exclude='build/')" \
	"a/b/y.c a/b/y.o a/x.c a/x.o docs/r.txt odd*name.c top.c top.o " "exclude build/"
# Anchored: only the top-level build.
want "$(got t3 --exclude='/build')" \
	"a/b/y.c a/b/y.o a/x.c a/x.o docs/r.txt keep/build/k.c odd*name.c top.c top.o " "exclude /build"
# First match wins: *.c and the directories leading to them, nothing else.
want "$(got t4 --include='*.c' --include='*/' --exclude='*')" \
	"a/b/y.c a/x.c build/sub/z.c keep/build/k.c odd*name.c top.c " "include *.c */ exclude *"
# An inner slash matches the end of the path: a/b/*.o, not a/x.o.
want "$(got t5 --exclude='b/*.o')" \
	"a/b/y.c a/x.c a/x.o build/sub/z.c docs/r.txt keep/build/k.c odd*name.c top.c top.o " "exclude b/*.o"
# '**' crosses directories; dir/*** is the directory and all below it.
want "$(got t6 --exclude='a/**.c' --exclude='docs/***')" \
	"a/b/y.o a/x.o build/sub/z.c keep/build/k.c odd*name.c top.c top.o " "exclude a/**.c docs/***"
# A backslash makes a wildcard literal.
want "$(got t7 --exclude='odd\*name.c' --exclude='*.o')" \
	"a/b/y.c a/x.c build/sub/z.c docs/r.txt keep/build/k.c top.c " "exclude odd\\*name.c"

# Pattern files, with comments; and NUL-separated with -0.
printf '# objects\n*.o\n\n; docs too\ndocs/\n' >rules
want "$(got t8 --exclude-from=rules)" \
	"a/b/y.c a/x.c build/sub/z.c keep/build/k.c odd*name.c top.c " "--exclude-from"
printf '*.o\0docs/\0' >rules0
want "$(got t9 -0 --exclude-from=rules0)" \
	"a/b/y.c a/x.c build/sub/z.c keep/build/k.c odd*name.c top.c " "-0 --exclude-from"
printf '+ top.o\n- *.o\n' >rules2
want "$(got t10 --exclude-from=rules2 --exclude=docs/ --exclude=build/)" \
	"a/b/y.c a/x.c odd*name.c top.c top.o " "+/- lines"

# --files-from: only the listed paths and the directories leading to them;
# with --delete the unlisted entries of the destination stay.
printf 'a/b/y.c\n./top.c\n/docs\n' >list
want "$(got t12 --files-from=list)" "a/b/y.c top.c " "--files-from"
[ -d t12/docs ] || fail "--files-from: listed directory docs not created"
printf 'x\n' >t12/unlisted
ucp_try --sync --delete --files-from=list src t12
expect_ok
[ -e t12/unlisted ] || fail "--files-from --delete removed an unlisted entry"
printf 'a/x.c\0odd*name.c\0' >list0
want "$(got t13 -0 --files-from=list0)" "a/x.c odd*name.c " "-0 --files-from"
printf 'a/../etc\n' >badlist
ucp_try --sync --files-from=badlist src t14
expect_rc 2
expect_err_has "badlist:1:"
# A listed path the source lacks is an error that names it (rsync: exit
# 23); the paths that are there are copied all the same.
printf 'top.c\nnope.c\na/gone/y.c\na/b/y.c\n' >gaplist
rm -rf t15
ucp_try --sync --files-from=gaplist src t15
expect_rc 1
expect_err_has "'src/nope.c': No such file"
expect_err_has "'src/a/gone/y.c': No such file"
[ "$(grep -c "cannot stat" "$T_ERR")" = 2 ] || fail "--files-from gaps: $(cat "$T_ERR")"
want "$(cd t15 && find . -mindepth 1 ! -type d -printf '%P\n' | LC_ALL=C sort | tr '\n' ' ')" \
	"a/b/y.c top.c " "--files-from with gaps"

# Bad patterns and files are usage errors that name them.
ucp_try --sync --exclude='[abc' src t11
expect_rc 2
expect_err_has "invalid pattern '[abc'"
ucp_try --sync --exclude-from=nonexistent src t11
expect_rc 2
expect_err_has "cannot open 'nonexistent'"

# A listed path through a symbolic link to a directory: the link is copied
# as one, so the path cannot be: an error, where it was left out without
# a word (exit 0). -L follows the link, and copies the path.
mkdir -p lsrc/real
printf 'data\n' >lsrc/real/file
ln -s real lsrc/link
printf 'link/file\n' >llist
ucp_try --sync --files-from=llist lsrc lm
expect_rc 1
expect_err_line "ucp: cannot stat 'lsrc/link/file': a directory on its way is a symbolic link, copied as one (-L follows it)"
ucp_try --sync -L --files-from=llist lsrc lm2
expect_ok
[ "$(cat lm2/link/file)" = data ] || fail "-L --files-from: link/file not copied"

# Standard input read by two options: the second would get nothing (an
# empty --files-from list, with --delete-excluded, emptied the mirror):
# a usage error, and the mirror untouched.
mkdir -p two/src/d
printf '1\n' >two/src/d/f
ucp_try --sync two/src two/m
expect_ok
printf 'keep\n' >two/m/precious
RC=0
printf 'd/f\n' | run_ucp --sync --delete-excluded --files-from=- --exclude-from=- \
	two/src two/m >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 2 "two options reading standard input"
expect_err_line "ucp: --files-from reads standard input, which --exclude-from read already"
[ -f two/m/precious ] && [ -f two/m/d/f ] || fail "the mirror was changed"

# --files-from with rules: the directories leading to a listed path are
# taken whatever the rules say, as rsync never filters them ("- d/" or
# "- */" dropped the listed d/f, exit 0); a listed path itself is filtered.
mkdir -p ff/src/d
printf '1\n' >ff/src/d/f
printf '2\n' >ff/src/d/g
printf 'd/f\n' >ff/list
for ex in 'd/' '*/'; do
	rm -rf ff/m
	ucp_try --sync --files-from=ff/list --exclude="$ex" ff/src ff/m
	expect_ok "--files-from with --exclude=$ex"
	[ "$(cat ff/m/d/f 2>/dev/null)" = 1 ] || fail "--exclude=$ex dropped the listed d/f"
	assert_absent ff/m/d/g
done
rm -rf ff/m
ucp_try --sync --files-from=ff/list --exclude='f' ff/src ff/m
expect_ok
assert_absent ff/m/d/f
