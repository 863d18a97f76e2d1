#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A user's backup of another user's file in a sticky directory (/tmp): the
# kernel refuses it, as cp finds, and ucp says so. It leaves no second
# name of that file behind (a temporary hard link the user could never
# remove, one more each try, raising the file's link count). Root (the
# file is root's, the user is another).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the file in the way must be another user's"
unpriv_setup
mkdir -m 1777 st
printf 'root data\n' >st/rf
chmod 666 st/rf
printf 'new\n' >f
unpriv_own f
for how in "-b" "--backup=numbered" "-b -f" "-S .bak"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try_unpriv $how f st/rf
	expect_rc 1 "ucp $how as a user, another's file in a sticky directory"
	expect_err_has "cannot back up 'st/rf'"
	left=$(cd st && ls -A | grep -vx rf || true)
	[ -z "$left" ] || fail "ucp $how left: $left"
	[ "$(stat -c %h st/rf)" = 1 ] || fail "ucp $how: st/rf has $(stat -c %h st/rf) links"
	[ "$(cat st/rf)" = "root data" ] || fail "ucp $how changed st/rf"
done
# The user's own file there is backed up as anywhere.
printf 'mine\n' >st/mine
unpriv_own st/mine
ucp_try_unpriv -b f st/mine
expect_ok "a backup of the user's own file"
[ "$(cat st/mine~)" = mine ] && [ "$(cat st/mine)" = new ] || fail "the user's own backup is wrong"
