#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A user's -a or --sync copy of a set-user-ID or set-group-ID file whose
# owner or group it cannot keep loses both set-ID bits, as with cp -p:
# a copy never becomes set-ID to someone it does not belong to, and
# which bit would still matter is not ucp's guess. An owner and a group
# the user can keep keep both. A --sync again then leaves them as they are
# (it set the mode again on every run, changing its change time, and
# listed them). Root (the files are others').
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the sources must be other users' files"
unpriv_setup
mkdir src
printf 'g\n' >src/their_group # the user's own, root's group
printf 'o\n' >src/their_owner # root's, the user's group
printf 'm\n' >src/mine
chown 65534:0 src/their_group
chown 0:65534 src/their_owner
chown 65534:65534 src/mine src
chmod 6755 src/their_group src/their_owner src/mine
for how in "-a src a" "--sync src s"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try_unpriv $how
	expect_ok
	d=${how##* }
	for f in their_group their_owner; do
		[ "$(stat -c %a "$d/$f")" = 755 ] ||
			fail "$how: $f is $(stat -c %a "$d/$f"), not 755"
	done
	[ "$(stat -c %a "$d/mine")" = 6755 ] ||
		fail "$how: mine is $(stat -c %a "$d/mine"), not 6755"
done
# A later --sync that mends the mode only: the same.
chmod 6750 src/their_group
ucp_try_unpriv --sync src s
expect_ok
[ "$(stat -c %a s/their_group)" = 750 ] ||
	fail "the mode mended: their_group is $(stat -c %a s/their_group), not 750"
# Again, nothing changed: nothing listed, no change time moved.
before=$(stat -c '%n %Z' s/their_group s/their_owner)
sleep 0.05 # (a change time a coarse clock tick later)
ucp_try_unpriv --sync --itemize-changes src s
expect_ok
[ ! -s "$T_OUT" ] || fail "an unchanged mirror was listed: $(tr '\n' ' ' <"$T_OUT")"
[ "$(stat -c '%n %Z' s/their_group s/their_owner)" = "$before" ] ||
	fail "an unchanged mirror's change time moved"

# A security.* attribute, which a user reads but cannot set: -c, whose
# every run looks at attributes, took its absence in the copy for a
# change, listed it and set the mode again (change time moved) each run.
if command -v setfattr >/dev/null && printf 's\n' >src/sec &&
	setfattr -n security.ucptest -v x src/sec 2>/dev/null; then
	chown 65534:65534 src/sec
	ucp_try_unpriv --sync src s
	expect_ok
	before=$(stat -c '%n %Z' s/sec)
	sleep 0.05 # (a change time a coarse clock tick later)
	ucp_try_unpriv --sync -c --itemize-changes src s
	expect_ok
	[ ! -s "$T_OUT" ] || fail "-c listed an attribute the user cannot set: $(tr '\n' ' ' <"$T_OUT")"
	[ "$(stat -c '%n %Z' s/sec)" = "$before" ] || fail "-c moved the change time of s/sec"
fi
