#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync into a DST that is another user's symbolic link in a sticky
# directory others may write (a /tmp): that user could point it at a
# directory of the runner's, which --delete then emptied, exit 0, where
# fs.protected_symlinks is 0. It is not followed, whatever that setting
# says, as rsync refuses it (and as ucp refuses such a link as a file
# operand); the runner's own link there is followed, as rsync follows it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root
unpriv_setup
mkdir -m 1777 sticky
mkdir src precious
printf 'a\n' >src/a
printf 'keep\n' >precious/thesis
unpriv_own src precious
ln -s "$PWD/precious" sticky/theirs
chown -h 1234:1234 sticky/theirs
mkdir precious/sub
printf 'keep\n' >precious/sub/notes
unpriv_own precious
# (Also with a trailing slash or '.', or as a leading component.)
for dst in sticky/theirs sticky/theirs/ sticky/theirs/. sticky/theirs/sub; do
	ucp_try_unpriv --sync --delete src "$dst"
	expect_rc 1 "$dst"
	expect_err_has "cannot open directory '$dst': Permission denied"
	[ "$(cat precious/thesis)" = keep ] && [ "$(cat precious/sub/notes)" = keep ] ||
		fail "$dst: the other user's link was followed: files gone"
	assert_absent precious/a
	assert_absent precious/sub/a
done
# ... nor through a link of the runner's own whose target goes by it.
mkdir home
ln -s ../sticky/theirs home/via
ln -s ../sticky/theirs/sub home/viasub
chown -hR 65534:65534 home
for dst in home/via home/viasub; do
	ucp_try_unpriv --sync --delete src "$dst"
	expect_rc 1 "$dst"
	expect_err_has "cannot open directory '$dst': Permission denied"
	[ "$(cat precious/thesis)" = keep ] && [ "$(cat precious/sub/notes)" = keep ] ||
		fail "$dst: the other user's link was followed: files gone"
done

ln -s "$PWD/precious" sticky/mine
chown -h 65534:65534 sticky/mine
ucp_try_unpriv --sync src sticky/mine
expect_ok
[ "$(cat precious/a)" = a ] || fail "the runner's own link was not followed"
