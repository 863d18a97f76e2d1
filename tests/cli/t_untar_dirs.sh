#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --untar and directories already there, beside GNU tar's archives:
# - a directory member after its contents (find -depth order) gives the
#   directory the run made as their parent its mode, without -p too;
# - two members of one directory: the last one's mode and time win;
# - "./" gives its metadata to an extraction directory ucp created, and
#   leaves one that was there before as it was;
# - a member of another type replaces an empty directory (as tar), never
#   one with entries;
# - a directory that was there before keeps its mode without -p;
# - a sticky directory stays sticky without -p.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v tar >/dev/null || skip "tar is not installed"
umask 022

# A directory after its file.
mkdir -p s/priv
printf 'k\n' >s/priv/key
chmod 700 s/priv
tar -cf depth.tar --no-recursion s/priv/key s/priv
ucp_try --untar depth.tar out1
expect_ok
assert_mode out1/s/priv 700

# The same directory twice: 0700, then 0751 and another time.
mkdir twice
chmod 700 twice
tar -cf twice.tar --no-recursion twice
chmod 751 twice
touch -d '2010-05-05 00:00:00' twice
tar -rf twice.tar --no-recursion twice
ucp_try --untar twice.tar out2
expect_ok
assert_mode out2/twice 751
[ "$(stat -c %Y out2/twice)" = "$(stat -c %Y twice)" ] || fail "the last member's time did not win"

# "./" into a new directory, with -a: mode and time; into one that was
# there: nothing changes.
mkdir top
printf 'x\n' >top/f
chmod 700 top
touch -d '2011-01-01 00:00:00' top
tar -C top -cf dot.tar .
ucp_try --untar -a dot.tar out3
expect_ok
assert_mode out3 700
[ "$(stat -c %Y out3)" = "$(stat -c %Y top)" ] || fail "./ did not give the new directory its time"
mkdir pre
chmod 755 pre
chown 1234:1234 pre
ucp_try --untar -a dot.tar pre
expect_ok
[ "$(stat -c '%a %u %g' pre)" = "755 1234 1234" ] ||
	fail "./ changed the directory that was there: $(stat -c '%a %u %g' pre)"
[ "$(stat -c %Y pre)" != "$(stat -c %Y top)" ] || fail "./ gave the directory that was there its time"
cmp pre/f top/f

# ucp's own archive of ".", back.
(cd top && run_ucp --tar . ../u.tar) || fail "ucp --tar . failed"
ucp_try --untar -a u.tar out4
expect_ok
assert_mode out4 700

# A directory, then a file and a symbolic link of its name: an empty one
# gives way; one with entries stays (an error).
mkdir -p t/d t/e t/full
printf 'in\n' >t/full/in
tar -C t -cf types.tar --no-recursion d e full full/in
rmdir t/d t/e
rm -r t/full
printf 'new\n' >t/d
ln -s x t/e
printf 'file\n' >t/full
tar -C t -rf types.tar d e full
ucp_try --untar types.tar out5
expect_rc 1
expect_err_line "ucp: cannot create regular file 'full': Is a directory"
[ -f out5/d ] && [ "$(cat out5/d)" = new ] || fail "the file did not replace the empty directory"
[ -L out5/e ] && [ "$(readlink out5/e)" = x ] || fail "the link did not replace the empty directory"
[ -f out5/full/in ] || fail "a directory with entries was removed"
[ "$(wc -l <"$T_ERR")" = 1 ] || fail "more than the one error: $(cat "$T_ERR")"

# A directory that was there keeps its mode without -p, and takes the
# member's with it.
mkdir -p keep/s/priv
chmod 755 keep/s/priv
ucp_try --untar depth.tar keep
expect_ok
assert_mode keep/s/priv 755
ucp_try --untar -p depth.tar keep
expect_ok
assert_mode keep/s/priv 700

# Without -p, a directory member keeps its sticky bit, less the umask
# (the set-ID bits go), as copy mode and cp keep it (it was dropped).
rm -rf st stx
mkdir -p st/shared
chmod 1777 st/shared
ucp_try --tar st st.tar
expect_ok
ucp_try --untar st.tar stx
expect_ok
assert_mode stx/st/shared "1$(mode_after_umask 777)"
