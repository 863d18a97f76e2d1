#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As a user, --sync into a mirror whose directory is the user's but without
# owner read or search (a run that failed on such a source directory left
# it 0300): the owner gets them for the run, and the directory ends with
# the source's mode, as with rsync. Every later run failed "cannot open
# directory", its file never copied. Also a read-only mirror directory
# (0500) whose source became 0700: it ends 0700 (it went back to 0500).
# And --inplace over a read-only (0444) file of the user's: rewritten, as
# by rsync --inplace (it failed "Permission denied" on every run); a
# rewrite that fails leaves it read-only.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

[ "$(id -u)" != 0 ] || unpriv_setup
mkdir -p src/d
printf 'x\n' >src/d/f
unpriv_own src .
for locked in 300 500; do
	rm -rf m
	"${UNPRIV[@]}" mkdir -p m/d
	chmod "$locked" m/d
	chmod 700 src/d
	ucp_try_unpriv --sync src m
	expect_ok "mirror directory $locked, source 700"
	assert_mode m/d 700
	[ "$(cat m/d/f)" = x ] || fail "mirror directory $locked: f not copied"
done
chmod -R u+rwx m

printf 'a\n' >src/ro
chmod 444 src/ro
ucp_try_unpriv --sync src m
expect_ok
chmod 644 src/ro
printf 'bbbb\n' >src/ro
chmod 444 src/ro
ino=$(stat -c %i m/ro)
ucp_try_unpriv --sync --inplace src m
expect_ok
[ "$(cat m/ro)" = bbbb ] || fail "--inplace: the read-only file was not rewritten"
[ "$(stat -c %i m/ro)" = "$ino" ] || fail "--inplace: not rewritten in place"
assert_mode m/ro 444
# A rewrite that fails takes back the write it lent (it stayed 0644).
# Debug builds (the fault hook).
if has_hooks; then
	chmod 644 src/ro
	printf 'ccccc\n' >src/ro
	chmod 444 src/ro
	UCP_FAULT=write:1+:EIO,cfr:1+:EIO ucp_try_unpriv --sync --inplace src m
	expect_rc 1
	assert_mode m/ro 444
fi
