#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -T treats the destination as a plain name: a directory is merged into an
# existing one (not placed inside it), and a file may not replace a directory.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'a\n' >a
mk_sizes src

ucp_try -T a b
expect_ok
assert_same_file a b

mkdir exist
ucp_try -rT src exist
expect_rc 0 "-rT into an existing directory"
assert_absent exist/src
cmp_trees src exist

mkdir dir
ucp_try -T a dir
expect_rc 1 "file onto a directory with -T"
expect_err_has "ucp: cannot overwrite directory 'dir' with non-directory"
[ -d dir ] || fail "'dir' was replaced"
assert_absent dir/a

# -T onto a symbolic link to a directory: the directory is what is there,
# as for cp; the link stays (with -f too).
mkdir tdir
ln -s tdir tlink
printf 'x\n' >tf
for f in "" -f; do
	# shellcheck disable=SC2086 # (an empty $f is no word)
	ucp_try -T $f tf tlink
	expect_rc 1 "-T $f onto a link to a directory"
	expect_err_line "ucp: cannot overwrite directory 'tlink' with non-directory 'tf'"
	[ -L tlink ] && [ "$(readlink tlink)" = tdir ] || fail "-T $f replaced the link"
done
# Where cp replaces the link itself, so does ucp: --remove-destination, a
# backup, and a symbolic link copied as one.
ln -s tfile_target tlf
for opt in --remove-destination -b -P; do
	rm -f tlink tlink~
	ln -s tdir tlink
	src=tf
	[ "$opt" = -P ] && src=tlf
	ucp_try -T "$opt" "$src" tlink
	expect_ok
	[ "$(readlink tlink 2>/dev/null)" != tdir ] || fail "-T $opt did not replace the link"
done
