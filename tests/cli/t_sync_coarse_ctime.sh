#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync skips listing a file's extended attributes (and ACL) where the
# source's change time is older than the copy's. A source file system that
# keeps whole seconds (ext4 with 128-byte inodes) reads a change made just
# after the copy, within its second, as older: the change was never
# mirrored (a revoked ACL entry stayed), exit 0, where rsync -aAX copies
# it. The change time is read at its file system's resolution now.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null && command -v getfattr >/dev/null ||
	skip "setfattr or getfattr is not installed (attr)"
mount_ext4 fs -I 128
mkdir fs/src
printf 'data\n' >fs/src/f
setfattr -n user.v -v 0 fs/src/f
case $(stat -c %z fs/src/f) in
*.000000000*) ;;
*) skip "this ext4 keeps change times finer than seconds" ;;
esac

# The change must fall in the second of the copy's change time: tried
# again (from a new mirror) where a second began in between.
for try in $(seq 1 50); do
	rm -rf m
	ucp_try --sync fs/src m
	expect_ok
	setfattr -n user.v -v "$try" fs/src/f
	[ "$(stat -c %Z m/f)" = "$(stat -c %Z fs/src/f)" ] && break
done
[ "$(stat -c %Z m/f)" = "$(stat -c %Z fs/src/f)" ] ||
	fail "no change fell in the copy's second in 50 tries"
ucp_try --sync --itemize-changes fs/src m
expect_ok
expect_out_line ".f........x f"
[ "$(getfattr --only-values -n user.v m/f)" = "$try" ] ||
	fail "the attribute changed in the copy's second was not mirrored"
ucp_try --sync --itemize-changes fs/src m
expect_ok
expect_out_empty
