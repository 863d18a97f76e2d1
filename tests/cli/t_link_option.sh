#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -l makes hard links to the source files instead of copies (directories
# are still created), also over an existing destination file with -f.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/sub dst0
printf 'one\n' >src/f
printf 'two\n' >src/sub/g
printf 'old\n' >dst0/f

ucp_try -rl src dst
expect_ok
for f in f sub/g; do
	[ "$(stat -c %i "src/$f")" = "$(stat -c %i "dst/$f")" ] ||
		fail "dst/$f is not a hard link to src/$f"
done
if [ ! -d dst/sub ] || [ "$(stat -c %i src/sub)" = "$(stat -c %i dst/sub)" ]; then
	fail "directory was not created as a new directory"
fi

# (Told to, as cp -l must be: without -f, "File exists"; t_link_exists.)
ucp_try -lf src/f dst0/f
expect_ok
[ "$(stat -c %i src/f)" = "$(stat -c %i dst0/f)" ] ||
	fail "an existing destination was not replaced by a link"

# -al (and -Pl) hard-link symlinks too, as cp -al does: the copy of a
# symlink is the same inode, not a new symlink.
rm -rf hl hl_copy
mkdir hl
printf 'x\n' >hl/f
ln -s f hl/l
ucp_try -al hl hl_copy
expect_ok
[ "$(stat -c %i hl/l)" = "$(stat -c %i hl_copy/l)" ] ||
	fail "-al made a new symlink instead of a hard link to it"
[ "$(stat -c %i hl/f)" = "$(stat -c %i hl_copy/f)" ] || fail "-al did not link the file"
