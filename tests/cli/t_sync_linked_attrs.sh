#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# An attribute changed on the source is mirrored also where the copy was
# hard-linked since (a backup rotation by cp -al): the link moved the
# copy's change time past the source's change, which hid it for good.
# The copy gets a file of its own for it, so the older snapshot keeps
# its attributes (they were changed in place, in both); and names linked
# in the mirror but not in the source no longer trade attributes run
# after run.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null || skip "setfattr is not installed (attr)"
mkdir src
printf 's\n' >src/f
setfattr -n user.k -v old src/f 2>/dev/null || skip "this file system has no user attributes"
ucp_try --sync src d0
expect_ok
setfattr -n user.k -v new src/f
touch -r src/f src/f # (the source's change time is now; the copy's comes next)
cp -al d0 d1
ucp_try --sync --itemize-changes src d0
expect_ok
expect_out_line ">f........x f"
[ "$(getfattr --only-values -n user.k d0/f)" = new ] || fail "the attribute was not mirrored"
[ "$(getfattr --only-values -n user.k d1/f)" = old ] || fail "the older snapshot's attribute changed too"

# Two names linked in the mirror, two files in the source: each gets its
# own mode, and the next run has nothing to do (they traded the mode).
mkdir s2
printf 'secret\n' >s2/e
ln s2/e s2/f
ucp_try --sync s2 m2
expect_ok
cp -p s2/e s2/e.new
mv s2/e.new s2/e
chmod 600 s2/e
ucp_try --sync s2 m2
expect_ok
[ "$(stat -c %a m2/e m2/f)" = "600
644" ] || fail "the names linked in the mirror: $(stat -c '%n %a' m2/e m2/f)"
ucp_try --sync --itemize-changes s2 m2
expect_ok
expect_out_empty

# So too for a symbolic link and a FIFO: their owner, time and mode were
# changed in place, the snapshot's with them; and two symbolic links
# linked in the mirror but not in the source traded times run after run.
mkdir s3
ln -s f s3/l
mkfifo s3/p
ucp_try --sync s3 m3
expect_ok
cp -al m3 snap3
touch -h -d '2011-01-01' s3/l
chmod 600 s3/p
ucp_try --sync s3 m3
expect_ok
[ "$(stat -c %Y m3/l)" = "$(stat -c %Y s3/l)" ] && [ "$(stat -c %a m3/p)" = 600 ] ||
	fail "the mirror's link or FIFO did not take the change: $(stat -c '%n %Y %a' m3/l m3/p)"
[ "$(stat -c %Y snap3/l)" != "$(stat -c %Y s3/l)" ] && [ "$(stat -c %a snap3/p)" = 644 ] ||
	fail "the snapshot's link or FIFO changed too: $(stat -c '%n %Y %a' snap3/l snap3/p)"
mkdir -p s4/d
ln -s f s4/l1
ln s4/l1 s4/d/l2
ucp_try --sync s4 m4
expect_ok
rm s4/d/l2
ln -s f s4/d/l2
touch -h -d '2011-01-01' s4/d/l2
ucp_try --sync s4 m4
expect_ok
ucp_try --sync --itemize-changes s4 m4
expect_ok
expect_out_empty
[ "$(stat -c %Y m4/l1)" = "$(stat -c %Y s4/l1)" ] || fail "m4/l1 took its former link's time"
