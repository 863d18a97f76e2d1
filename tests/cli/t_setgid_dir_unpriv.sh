#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A directory made in a set-group-ID directory (a shared project's) takes
# that bit from its parent, which makes what is created in it later take
# the project's group. A user's -a copy of another user's tree (its owner
# and group not given) dropped it, as if it were the source's set-ID bit,
# and --untar without -p dropped it from every directory it made; cp -a
# and tar keep it. (The source's own bit goes there, as with cp -a.)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
unpriv_setup
mkdir proj
chgrp 65534 proj
chmod 2777 proj
mkdir -p theirs/sub
printf 'x\n' >theirs/sub/f
chown -R 1234:1234 theirs
chmod -R a+rX theirs
mkdir -p src/d
printf 'x\n' >src/d/f
chmod 6755 src/d/f
tar -cf a.tar src
chmod 644 a.tar

# setgid DIR...: each is a directory with the set-group-ID bit.
setgid() {
	local d
	for d in "$@"; do
		[ -g "$d" ] || fail "$d lost the set-group-ID bit: $(stat -c %A "$d")"
	done
}

ucp_try_unpriv -a theirs proj/a
expect_ok
setgid proj/a proj/a/sub
# The source's own bit, its group not given: dropped, as cp -a drops it,
# unless the directory took it from its parent.
mkdir -m 777 plain
chmod 2755 theirs theirs/sub
ucp_try_unpriv -a theirs plain/a
expect_ok
[ ! -g plain/a ] && [ ! -g plain/a/sub ] ||
	fail "the source's set-group-ID bit was kept where its group was not given"
ucp_try_unpriv -a theirs proj/b
expect_ok
setgid proj/b proj/b/sub
ucp_try_unpriv --untar a.tar proj/u
expect_ok
setgid proj/u proj/u/src proj/u/src/d
# (A member's own set-ID bits still go without -p.)
[ ! -u proj/u/src/d/f ] && [ ! -g proj/u/src/d/f ] ||
	fail "--untar kept a file's set-ID bit without -p"
