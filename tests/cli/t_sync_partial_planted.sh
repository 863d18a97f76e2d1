#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A first --sync builds the mirror under .DST.ucp-partial and resumes one
# an interrupted run left. What another put under that name is not taken
# for it: a symbolic link (it was followed: the mirror was built, and
# --delete deleted, in the link's target, and DST became the link), a file,
# or (root) a directory of another user. Each is an error naming it; a
# directory of the user's own is resumed, and a dry run compares with it.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src victim
printf 'new\n' >src/a
printf 'precious\n' >victim/keep
ln -s victim .dst.ucp-partial
# (A dry run says so too: it listed a first run, exit 0.)
ucp_try --sync --delete --dry-run src dst
expect_rc 1
expect_err_line "ucp: cannot open directory './.dst.ucp-partial': not the directory a first run of this mirror leaves; remove it"
ucp_try --sync --delete src dst
expect_rc 1
expect_err_line "ucp: cannot open directory './.dst.ucp-partial': not the directory a first run of this mirror leaves; remove it"
[ "$(ls victim)" = keep ] || fail "the mirror was built in the link's target: $(ls victim)"
assert_absent dst

rm .dst.ucp-partial
printf 'mine\n' >.dst.ucp-partial
ucp_try --sync src dst
expect_rc 1
expect_err_line "ucp: cannot open directory './.dst.ucp-partial': not the directory a first run of this mirror leaves; remove it"
[ "$(cat .dst.ucp-partial)" = mine ] || fail "the file under the partial name changed"
rm .dst.ucp-partial

if [ "$(id -u)" = 0 ]; then
	mkdir .dst.ucp-partial
	chown 65534:65534 .dst.ucp-partial
	ucp_try --sync --dry-run src dst
	expect_rc 1
	expect_err_line "ucp: cannot open directory './.dst.ucp-partial': another user's, not resumed; remove it"
	ucp_try --sync src dst
	expect_rc 1
	expect_err_line "ucp: cannot open directory './.dst.ucp-partial': another user's, not resumed; remove it"
	assert_absent dst
	rmdir .dst.ucp-partial
fi

# The user's own: resumed. A dry run lists what the run then does: what
# the partial tree lacks, and its extra entry deleted (it listed every
# file as new, and no deletion); and it changes nothing.
mkdir .dst.ucp-partial
printf 'b\n' >src/b
cp -p src/a .dst.ucp-partial/a
printf 'x\n' >.dst.ucp-partial/extra
ucp_try --sync --delete --dry-run --itemize-changes src dst
expect_ok
cp "$T_OUT" dry.out
[ -f .dst.ucp-partial/extra ] && [ ! -e .dst.ucp-partial/b ] || fail "the dry run changed the partial tree"
assert_absent dst
ucp_try --sync --delete --itemize-changes src dst
expect_ok
diff dry.out "$T_OUT" >&2 || fail "the dry run listed other changes than the run made (< dry run, > run)"
grep -qx '>f+++++++++ b' dry.out && grep -qx '\*deleting   extra' dry.out &&
	! grep -q ' a$' dry.out || fail "the dry run did not compare with the partial tree: $(cat dry.out)"
expect_mirror src dst
assert_absent .dst.ucp-partial

# Put in the partial tree's place during the run (the run stopped by the
# test hook after its first files): a symbolic link to another directory,
# or another directory. The run does not give DST to what is there now
# (DST became the link, and the next run mirrored into its target): an
# error naming it, exit 1, the link and both directories left as they are.
# (Debug builds: the stop is a test hook's.)
has_hooks || exit 0
rm -rf src dst
mkdir src2 elsewhere
for i in $(seq 1 50); do printf '%s\n' "$i" >"src2/f$i"; done
printf 'theirs\n' >elsewhere/theirs
for planted in link dir; do
	rm -rf moved .nd.ucp-partial nd
	stop_start 3 --sync -j 1 src2 nd
	mv .nd.ucp-partial moved
	if [ "$planted" = link ]; then
		ln -s elsewhere .nd.ucp-partial
	else
		mkdir .nd.ucp-partial
	fi
	stop_resume
	expect_rc 1 "a $planted put in place of the partial tree"
	expect_err_line "ucp: cannot rename into 'nd': './.nd.ucp-partial' is no longer the directory this run filled (moved or replaced meanwhile): the copy is not 'nd'"
	assert_absent nd
	[ "$(ls elsewhere)" = theirs ] || fail "the run wrote into the link's target"
	cmp_trees src2 moved
	rm -rf .nd.ucp-partial
done
