#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An operand copied into an existing directory lands at DIR/basename; a new
# destination for a directory becomes the copy itself.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_sizes src
mkdir dir
printf 'file\n' >f

ucp_try f dir
expect_ok
assert_same_file f dir/f

ucp_try -r src dir
expect_ok
cmp_trees src dir/src

ucp_try -r src new
expect_rc 0 "new destination"
cmp_trees src new
assert_absent new/src

# new exists now, so a second copy goes inside it.
ucp_try -r src new
expect_rc 0 "second copy into the first"
cmp_trees src new/src

# A source whose last name is ".." goes into the target itself, as cp
# puts it (TARGET/./...), not into the directory above the target, whose
# mode, owner and times -a would take.
rm -rf dd
mkdir -p dd/src/sub dd/dst/backup
printf 'hi\n' >dd/src/file
chmod 700 dd/src
touch -d 2001-01-01 dd/src
chmod 755 dd/dst
for op in .. ../ ./..; do
	rm -rf dd/dst/backup/*
	RC=0
	(cd dd/src/sub && run_ucp -a "$op" ../../dst/backup) >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_ok
	[ -f dd/dst/backup/file ] && [ -d dd/dst/backup/sub ] && [ ! -e dd/dst/file ] ||
		fail "'$op' was not copied into the target"
	[ "$(stat -c %a dd/dst)" = 755 ] || fail "'$op': the target's parent took the source's mode"
done
