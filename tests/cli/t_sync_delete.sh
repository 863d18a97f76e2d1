#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --delete removes what the source lacks, only with --delete, never after
# an error (unless --ignore-errors); --max-delete stops at N with exit 25;
# excluded entries are kept unless --delete-excluded. Directory times
# stay the source's after deletions.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
printf 'keep\n' >src/keep
printf 'keep\n' >src/d/keep

extras() {
	printf 'x\n' >dst/extra1
	printf 'x\n' >dst/d/extra2
	mkdir -p dst/gone/deep/deeper
	printf 'x\n' >dst/gone/deep/deeper/f
	printf 'x\n' >dst/gone/g
	ln -s keep dst/extralink
}

ucp_try --sync src dst
expect_ok
extras
ucp_try --sync src dst
expect_ok
[ -e dst/extra1 ] && [ -d dst/gone ] || fail "entries were deleted without --delete"

ucp_try --sync --delete --itemize-changes src dst
expect_ok
expect_mirror src dst
expect_out_line "*deleting   extra1"
expect_out_line "*deleting   gone/"
expect_out_line "*deleting   d/extra2"
# As rsync: one line per deleted entry, each directory after its contents.
for e in gone/g gone/deep/deeper/f gone/deep/deeper/ gone/deep/ extralink; do
	expect_out_line "*deleting   $e"
done
order=$(grep -n -e '^\*deleting   gone/deep/deeper/f$' -e '^\*deleting   gone/deep/$' \
	-e '^\*deleting   gone/$' "$T_OUT" | cut -d: -f2 | tr '\n' ' ')
[ "$order" = "*deleting   gone/deep/deeper/f *deleting   gone/deep/ *deleting   gone/ " ] ||
	{ show_last; fail "deleted directories not listed after their contents: $order"; }

# A directory a file replaces: its contents are listed as deleted, then the
# file as new; a name with a newline and a byte that is not UTF-8 is
# escaped as rsync does.
mkdir -p dst/was_dir/sub
printf 'x\n' >dst/was_dir/sub/f
printf 'now a file\n' >src/was_dir
printf 'x\n' >"src/$(printf 'nl\nhere\377')"
ucp_try --sync --delete --itemize-changes src dst
expect_ok
expect_mirror src dst
expect_out_line "*deleting   was_dir/sub/f"
expect_out_line "*deleting   was_dir/sub/"
expect_out_line ">f+++++++++ was_dir"
expect_out_line '>f+++++++++ nl\#012here\#377'
rm "src/$(printf 'nl\nhere\377')" src/was_dir
ucp_try --sync --delete src dst
expect_ok

# --max-delete: at most N entries go, and the exit status says so.
extras
ucp_try --sync --delete --max-delete=2 src dst
expect_rc 25
left=$(find dst -mindepth 1 | wc -l)
# 3 entries of src, 8 extra (extra1, d/extra2, extralink, gone and the 4
# below it).
[ "$left" = $((3 + 8 - 2)) ] || fail "--max-delete=2 left $left entries, expected 9"
# rsync's words for what was left (the 6 extras, counted entry by entry).
expect_err_line "ucp: deletions stopped due to --max-delete limit (6 skipped)"
# -q keeps it: the line says why the status is 25, as rsync -q says it
# (it was silent, exit 25).
ucp_try --sync -q --delete --max-delete=0 src dst
expect_rc 25
expect_err_line "ucp: deletions stopped due to --max-delete limit (6 skipped)"
ucp_try --sync --delete src dst
expect_ok
expect_mirror src dst

# Excluded entries are kept, unless --delete-excluded.
printf 'x\n' >dst/keep.log
printf 'x\n' >dst/other
ucp_try --sync --delete --exclude='*.log' src dst
expect_ok
[ -e dst/keep.log ] && [ ! -e dst/other ] || fail "exclude did not protect keep.log"
ucp_try --sync --delete-excluded --exclude='*.log' src dst
expect_ok
[ ! -e dst/keep.log ] || fail "--delete-excluded kept keep.log"

# After an error nothing is deleted. An immutable destination file makes
# its update fail, even as root.
printf 'x\n' >dst/extra1
printf 'new\n' >src/keep
touch -d '2001-01-01' src/keep
if command -v chattr >/dev/null && chattr +i dst/keep 2>/dev/null; then
	ucp_try --sync --delete src dst
	chattr -i dst/keep
	expect_rc 1
	expect_err_has "what the source lacks under 'dst' was not deleted"
	[ -e dst/extra1 ] || fail "entries were deleted after an error"
	chattr +i dst/keep
	ucp_try --sync --delete --ignore-errors src dst
	chattr -i dst/keep
	expect_rc 1
	[ ! -e dst/extra1 ] || fail "--ignore-errors did not delete"
else
	printf 'no immutable files here: error case not run\n'
fi
ucp_try --sync --delete src dst
expect_ok
expect_mirror src dst

# A mirror that contains its own source: --delete would remove the source
# as an extraneous entry. Refused before anything is written; without
# --delete the copy goes ahead.
rm -rf box
mkdir -p box/src
printf 'x\n' >box/src/x
printf 'y\n' >box/y
ucp_try --sync --delete box/src box
expect_rc 1
expect_err_line "ucp: will not mirror 'box/src' into 'box' with --delete: the mirror contains the source"
[ -f box/src/x ] && [ -f box/y ] && [ ! -e box/x ] ||
	fail "a mirror holding its source was changed"
ucp_try --sync --delete box/src/ box/.
expect_rc 1
[ -f box/src/x ] || fail "the source was deleted"
ucp_try --sync box/src box
expect_ok
[ -f box/x ] && [ -f box/src/x ] && [ -f box/y ] || fail "--sync without --delete did not copy"
rm -rf box

# An extraneous directory that cannot be emptied (immutable): the error
# names the entry that could not go, under the mirror, with the reason
# that stopped it (as rm -r names it).
if command -v chattr >/dev/null; then
	rm -rf isrc idst
	mkdir -p isrc idst/stuck
	printf 'x\n' >idst/stuck/extra
	if chattr +i idst/stuck 2>/dev/null; then
		ucp_try --sync --delete isrc idst
		chattr -i idst/stuck
		expect_rc 1
		expect_err_line "ucp: cannot delete 'idst/stuck/extra': Operation not permitted"
	fi
fi

# A file whose name looks like a dead run's temporary is removed, unless a
# rule keeps it (protect, or exclude without --delete-excluded).
mkdir -p tl/src
printf 'a\n' >tl/src/a
ucp_try --sync tl/src tl/dst
expect_ok
printf 'userdata\n' >tl/dst/.ucp-0000000100000000.tmp
ucp_try --sync --delete -f 'P .ucp-*' tl/src tl/dst
expect_ok
[ -f tl/dst/.ucp-0000000100000000.tmp ] || fail "a protected name was removed as a temporary"
ucp_try --sync --delete --exclude='.ucp-*' tl/src tl/dst
expect_ok
[ -f tl/dst/.ucp-0000000100000000.tmp ] || fail "an excluded name was removed as a temporary"
ucp_try --sync --delete tl/src tl/dst
expect_ok
assert_absent tl/dst/.ucp-0000000100000000.tmp
# A directory so named is none of ucp's temporaries: --delete deletes it,
# as any other (it was kept, and the run said nothing).
mkdir tl/dst/.ucp-0123456789abcdef.tmp
printf 'x\n' >tl/dst/.ucp-0123456789abcdef.tmp/f
ucp_try --sync --delete --itemize-changes tl/src tl/dst
expect_ok
expect_out_line "*deleting   .ucp-0123456789abcdef.tmp/"
assert_absent tl/dst/.ucp-0123456789abcdef.tmp

# The source inside its own mirror through a bind mount (the paths show
# nothing of it): the mirror's directory that is the source is never
# deleted (the run deleted the source itself, exit 0). An error, so the
# other deletions wait too; the dry run says the same.
if [ "$(id -u)" = 0 ]; then
	mkdir -p bs/sub bmnt
	printf 'f\n' >bs/f
	printf 'g\n' >bs/sub/g
	if mount --bind bs/sub bmnt 2>/dev/null; then
		trap "umount '$PWD/bmnt' 2>/dev/null || true" EXIT
		for dry in --dry-run ""; do
			# shellcheck disable=SC2086 # the empty word goes
			ucp_try --sync --delete $dry bmnt bs
			expect_rc 1 "--delete $dry of a mirror holding its source"
			expect_err_line "ucp: cannot delete 'bs/sub': the source is this directory, or inside it (a bind mount): not deleted"
		done
		umount bmnt
		trap - EXIT
		[ "$(cat bs/sub/g)" = g ] && [ -e bs/f ] || fail "the source in its mirror was deleted"
	fi
fi
