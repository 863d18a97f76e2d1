#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A tree 200 directories deep (paths of 6,400 bytes, past PATH_MAX) goes
# through --tar and back through --untar whole: files, a hard link, a
# symlink and a FIFO at the bottom, the bottom directory's read-only mode
# and (with -a) its mtime. Extracting again over the copy works, and a
# member below a symlink that deep is refused like a shallow one. (Fewer,
# longer levels than t_deep_10000: removing a directory is what costs.)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

levels=200
name=directory_name_of_31_bytes__
command -v perl >/dev/null || skip "perl not installed (used to build the tree)"
mkdir src outside
# A shell's cd gets slower with every level; perl's chdir does not.
perl -MPOSIX=mkfifo -e '
	chdir "src" or die;
	for my $i (1 .. $ARGV[0]) {
		mkdir $ARGV[1] or die;
		chdir $ARGV[1] or die;
		next if $i % 50;
		open my $f, ">", "f$i" or die;
		print $f "level $i\n";
		close $f;
	}
	open my $f, ">", "bottom" or die;
	print $f "bottom\n";
	close $f;
	link "bottom", "bottom_link" or die;
	symlink "bottom", "bottom_sym" or die;
	mkfifo "fifo", 0644 or die;
	utime 1000000000, 1000000000, "." or die;
	chmod 0555, "." or die' "$levels" "$name"

ucp_try --tar src a.tar
expect_ok
ucp_try --untar a.tar out
expect_ok
cmp_trees src out/src

# -a: the bottom directory's mtime, set after its entries were made.
ucp_try --untar -a a.tar outa
expect_ok
bottom_mtime() {
	find "$1" -depth -type d -name "$name" -printf '%T@\n' -quit
}
[ "$(bottom_mtime outa/src)" = "$(bottom_mtime src)" ] ||
	fail "the bottom directory's mtime was not restored"
[ "$(find outa/src -name 'bottom*' -type f -links 2 | wc -l)" = 2 ] ||
	fail "the hard link at the bottom was not kept"

# Again over the copy: files and links are replaced, directories kept.
ucp_try --untar a.tar out
expect_ok
cmp_trees src out/src

# Below a symlink 200 levels down: refused, nothing written outside.
mk=$TOP/tests/helpers/mkarchive
[ -x "$mk" ] || skip "tests/helpers/mkarchive not built"
deep=$(printf "$name/%.0s" $(seq "$levels"))
"$mk" evil.tar l "${deep}l" "$PWD/outside" f "${deep}l/x" x
ucp_try --untar evil.tar evil
expect_rc 1
expect_err_line "ucp: refusing member '${deep}l/x': a parent is a symbolic link or not a directory"
[ -z "$(ls -A outside)" ] || fail "a file was written through a deep symlink"
