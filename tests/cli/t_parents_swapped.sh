#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --parents sets the directories it made at the end of the run through a
# descriptor of each, checked to be the one it made: a user who may write
# the target and puts a symbolic link in the path meanwhile (here: after
# the first file, the copy stopped by a test hook) gets no other directory
# the source's mode and owner. Before, the link was followed: a directory
# outside the target, root's, became the user's and mode 0777.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_root
need_hooks

mkdir -p src/etc/cron.d restore victim/cron.d
printf 'job\n' >src/etc/cron.d/job
chown -R 1234:1234 src/etc
chmod 0777 src/etc/cron.d
chmod 0755 victim/cron.d

cd src
stop_start 1 -a --parents etc/cron.d/job ../restore/
cd ..
mv restore/etc restore/etc.real
ln -s "$PWD/victim" restore/etc
stop_resume
expect_rc 1
expect_err_has "as it was replaced while being copied"
[ "$(stat -c '%a %u' victim/cron.d)" = "755 0" ] ||
	fail "a directory outside the target was changed: $(stat -c '%a %u' victim/cron.d)"
cmp src/etc/cron.d/job restore/etc.real/cron.d/job || fail "the file was not copied"

# Untouched, the directories made get the source's mode and owner.
rm -rf restore2
mkdir restore2
(cd src && "$UCP" -a --parents etc/cron.d/job ../restore2/) ||
	fail "--parents -a failed"
[ "$(stat -c '%a %u' restore2/etc/cron.d)" = "777 1234" ] ||
	fail "--parents -a: restore2/etc/cron.d is $(stat -c '%a %u' restore2/etc/cron.d)"

# A symbolic link planted before the run where a directory of the path is
# to be (a user who may write the target): not followed (a root's copy
# was written, and chowned, in the directory it led to), an error.
rm -rf restore3 elsewhere
mkdir restore3 elsewhere
printf 'theirs\n' >elsewhere/job
ln -s ../elsewhere restore3/etc
(cd src && "$UCP" -a --parents etc/cron.d/job ../restore3/) >"$T_OUT" 2>"$T_ERR" && RC=0 || RC=$?
expect_rc 1 "--parents through a planted link"
expect_err_line "ucp: cannot create directory '../restore3/etc': a symbolic link is in its place: not followed"
[ "$(cat elsewhere/job)" = theirs ] && [ ! -e elsewhere/cron.d ] ||
	fail "--parents followed a planted link out of the target"
