#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# As an unprivileged user, ucp -a matches cp -a on a tree with read-only
# directories (0555, 0500), a setgid directory, hard links, symlinks,
# sub-second and pre-1970 times and files owned by someone else (kept as
# the user's own, silently, as cp -a does, without their set-id bits).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
mkdir -p src/ro/inner src/private src/sg
printf 'a\n' >src/ro/f
printf 'b\n' >src/ro/inner/g
printf 'c\n' >src/private/h
ln src/ro/f src/sg/f_link
ln -s ../ro/f src/sg/sym
printf 'old\n' >src/old
unpriv_own src .
if [ "$(id -u)" = 0 ]; then
	printf 'theirs\n' >src/theirs # owned by root, readable by all
	chmod 644 src/theirs
	# Set-id bits of an owner and a group the copy cannot have go, as
	# cp drops them; the user's own set-id file keeps them.
	printf 'theirs\n' >src/theirs_setid
	chmod 6755 src/theirs_setid
	printf 'mine\n' >src/mine_setuid
	chown 65534:65534 src/mine_setuid
	chmod 4755 src/mine_setuid
fi
touch -d '1960-06-06 06:06:06.123456789 UTC' src/old
touch -h -d '2011-11-11 11:11:11.5 UTC' src/sg/sym
chmod 2755 src/sg
chmod 555 src/ro/inner src/ro
chmod 500 src/private
touch -d '2015-05-05 05:05:05.5 UTC' src/ro src/private src/sg

describe() {
	(
		cd "$1"
		find . -printf '%p|%y|%m|%U|%G|%T@|%s|%n|%l\n' | sort
	)
}

ucp_try_unpriv -a src dst
expect_ok
"${UNPRIV[@]}" cp -a src ref
describe ref >want
describe dst >got
diff -u want got >&2 || fail "ucp -a differs from cp -a as an unprivileged user"

# --sync, run again and again: the set-id bits of an owner the copy cannot
# have stay off (no run puts them back), and nothing is found to change.
if [ "$(id -u)" = 0 ]; then
	ucp_try_unpriv --sync src/ mirror
	expect_ok
	[ "$(stat -c %a mirror/theirs_setid)" = 755 ] ||
		fail "--sync: theirs_setid is $(stat -c %a mirror/theirs_setid)"
	for run in 2 3; do
		ucp_try_unpriv --sync --itemize-changes src/ mirror
		expect_ok
		[ "$(stat -c %a mirror/theirs_setid)" = 755 ] ||
			fail "--sync run $run: theirs_setid is $(stat -c %a mirror/theirs_setid)"
		if grep -q 'theirs_setid' "$T_OUT"; then
			show_last
			fail "--sync run $run found theirs_setid changed"
		fi
	done
	[ "$(stat -c %a mirror/mine_setuid)" = 4755 ] || fail "--sync: the user's own setuid bit went"
fi
