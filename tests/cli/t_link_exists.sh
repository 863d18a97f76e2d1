#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# -l and -s onto an existing file, as cp: "File exists", exit 1, the file
# kept; -f, --remove-destination and -b replace it (a backup kept with
# -b); -n keeps it quietly; a name already a link to the source is left
# as it is. In a tree (-rl) too.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'src\n' >f
for opt in -l -s; do
	target=f
	[ "$opt" = -s ] && target=$PWD/f
	rm -f g
	printf 'precious\n' >g
	ucp_try "$opt" "$target" g
	expect_rc 1 "ucp $opt onto a file"
	expect_err_has "'g': File exists"
	[ "$(cat g)" = precious ] && [ ! -L g ] || fail "ucp $opt replaced the file"
	ucp_try "$opt" -n "$target" g
	expect_ok
	[ "$(cat g)" = precious ] || fail "ucp $opt -n replaced the file"
	for force in -f --remove-destination -b; do
		rm -f g g~
		printf 'precious\n' >g
		ucp_try "$opt" "$force" "$target" g
		expect_ok
		[ "$(cat g)" = src ] || fail "ucp $opt $force did not replace the file"
		if [ "$opt" = -l ]; then
			[ "$(stat -c %i g)" = "$(stat -c %i f)" ] || fail "ucp -l $force made no hard link"
		else
			[ -L g ] || fail "ucp -s $force made no symbolic link"
		fi
		[ "$force" != -b ] || [ "$(cat g~)" = precious ] || fail "ucp $opt -b kept no backup"
	done
done

# Already a hard link to the source: nothing to say.
rm -f g
ln f g
ucp_try -l f g
expect_ok

# A tree into one that has some of the names.
mkdir s t
printf '1\n' >s/same
printf '2\n' >s/other
ln s/same t/same
printf 'mine\n' >t/other
ucp_try -rl s/. t
expect_rc 1
expect_err_has "'t/./other': File exists"
[ "$(cat t/other)" = mine ] || fail "ucp -rl replaced a file in the tree"
[ "$(stat -c %i t/same)" = "$(stat -c %i s/same)" ] || fail "the link there was touched"

# Onto a symbolic link to the source: -lf and -sf replace the link, as
# cp (it was refused as "the same file"); without -f, "File exists".
for o in -l -s; do
	rm -f sf sl
	printf 'a\n' >sf
	ln -s sf sl
	ucp_try "${o}f" sf sl
	expect_ok
	case $o in
	-l) [ "$(stat -c %i sl)" = "$(stat -c %i sf)" ] || fail "-lf did not link sl to sf" ;;
	-s) [ -L sl ] && [ "$(readlink sl)" = sf ] || fail "-sf did not make sl a link to sf" ;;
	esac
	rm -f sl
	ln -s sf sl
	ucp_try "$o" sf sl
	expect_rc 1 "$o onto a link there"
	grep -q "File exists" "$T_ERR" || fail "$o: not 'File exists': $(cat "$T_ERR")"
done

# -l of a file onto itself: nothing to make, exit 0, as cp -l g g (it was
# refused as "the same file", exit 1); -s onto itself is refused, as cp's.
printf 'self\n' >self
ucp_try -l self self
expect_ok
[ "$(cat self)" = self ] && [ "$(stat -c %h self)" = 1 ] || fail "-l self self changed it"
ucp_try -s self self
expect_rc 1 "-s onto itself"
expect_err_has "'self' and 'self' are the same file"
