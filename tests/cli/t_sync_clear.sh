#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync --delete: a directory in the way of a file goes by the rules of the
# deletions, as rsync's: what the filter rules spare stays (and the file is
# not copied), the --max-delete limit takes it whole or not at all, and
# nothing goes after an error unless --ignore-errors. --ignore-existing
# leaves an existing entry of any type alone.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

# A fresh mirror whose d is a directory holding three files; the source's
# d is a file.
setup() {
	rm -rf src dst
	mkdir -p src dst/d
	printf 'now a file\n' >src/d
	printf 'x\n' >dst/d/1
	printf 'x\n' >dst/d/2
	printf 'x\n' >dst/d/3
}

expect_kept() {
	[ -d dst/d ] && [ -f dst/d/1 ] && [ -f dst/d/2 ] && [ -f dst/d/3 ] ||
		{ show_last; fail "$1: the directory in the way lost entries"; }
}

# Protected and excluded entries stay, and so does the directory: the file
# is not copied, an error says why.
setup
mkdir dst/d/local
printf 'precious\n' >dst/d/local/data
printf 'obj\n' >dst/d/keep.o
# A dry run says what the run does.
ucp_try --sync --delete --itemize-changes --dry-run -f 'P local/' -f '- *.o' src dst
expect_rc 1 "spared entries in the way, a dry run"
expect_err_line "ucp: cannot overwrite directory 'dst/d' with non-directory 'src/d': it holds entries the filter rules keep"
expect_out_line "*deleting   d/1"
cp "$T_OUT" dry.out
[ -f dst/d/1 ] || fail "a dry run deleted"
ucp_try --sync --delete --itemize-changes -f 'P local/' -f '- *.o' src dst
diff dry.out "$T_OUT" >&2 || fail "the dry run listed otherwise than the run"
expect_rc 1 "spared entries in the way"
expect_err_line "ucp: cannot overwrite directory 'dst/d' with non-directory 'src/d': it holds entries the filter rules keep"
[ "$(cat dst/d/local/data)" = precious ] && [ "$(cat dst/d/keep.o)" = obj ] ||
	fail "protected or excluded entries were deleted to make way"
[ ! -e dst/d/1 ] || fail "what the rules do not spare was kept"
expect_out_line "*deleting   d/1"
# --delete-excluded: the excluded entry goes, the protected one stays.
ucp_try --sync --delete --delete-excluded -f 'P local/' -f '- *.o' src dst
expect_rc 1 "a protected entry in the way"
[ -f dst/d/local/data ] && [ ! -e dst/d/keep.o ] ||
	fail "--delete-excluded: wrong entries deleted to make way"
# Without rules in the way, it goes.
ucp_try --sync --delete src dst
expect_ok
cmp src/d dst/d || fail "the file was not copied once the way was clear"

# --max-delete: four deletions (three files and the directory) do not fit
# in three, in a dry run or a real one; they fit in four.
for dry in --dry-run ""; do
	setup
	ucp_try --sync --delete --max-delete=3 --itemize-changes $dry src dst
	expect_rc 1 "--max-delete=3 $dry"
	expect_err_line "ucp: cannot overwrite directory 'dst/d' with non-directory 'src/d': the --max-delete limit is reached"
	expect_kept "--max-delete=3 $dry"
	expect_err_lacks "deleting"
	if grep -q '^\*deleting' "$T_OUT"; then
		show_last
		fail "--max-delete=3 $dry: deletions listed that were not made"
	fi
done
setup
ucp_try --sync --delete --max-delete=4 --stats src dst
expect_ok
cmp src/d dst/d || fail "--max-delete=4: the file was not copied"
grep -Eq '^Deleted: +4$' "$T_ERR" "$T_OUT" ||
	{ show_last; fail "--stats does not count the deletions made to make way"; }
# What made way counts towards the limit of the deletions after it.
setup
printf 'x\n' >dst/extra
ucp_try --sync --delete --max-delete=4 src dst
expect_rc 25 "the deletion pass after a clear at the limit"
[ -e dst/extra ] || fail "--max-delete: the limit did not count the clear"

# After an error, nothing goes to make way (unless --ignore-errors). One
# worker on syscalls reads the top directory, whose only file fails, before
# the directory below it.
if has_hooks; then
	setup
	mkdir -p src/sub dst/sub/d
	mv src/d src/sub/d
	mv dst/d/1 dst/sub/d/1
	rm -r dst/d
	printf 'top\n' >src/top
	UCP_FAULT=open:1:EIO ucp_try --engine=threads -j 1 --sync --delete \
		src dst
	expect_rc 1 "an error before the directory in the way"
	expect_err_line "ucp: cannot overwrite directory 'dst/sub/d' with non-directory 'src/sub/d': not deleted after errors (--ignore-errors deletes anyway)"
	[ -f dst/sub/d/1 ] || fail "a directory was deleted after an error"
	UCP_FAULT=open:1:EIO ucp_try --engine=threads -j 1 --sync --delete \
		--ignore-errors src dst
	expect_rc 1 "--ignore-errors"
	cmp src/sub/d dst/sub/d || fail "--ignore-errors: the way was not made"
fi

# --ignore-existing: a file where the source has a directory stays, and a
# directory where it has a file, also with --delete.
rm -rf src dst
mkdir -p src/f dst/d
printf 'in\n' >src/f/in
printf 'precious\n' >dst/f
printf 'file\n' >src/d
printf 'x\n' >dst/d/x
touch -r src dst # (the roots alike: nothing to list of them)
ucp_try --sync --delete --ignore-existing --itemize-changes src dst
expect_ok
[ "$(cat dst/f)" = precious ] || fail "--ignore-existing replaced a file with a directory"
[ -f dst/d/x ] || fail "--ignore-existing cleared a directory for a file"
expect_out_empty

# --existing: a directory in the way of a file is an existing name: it
# goes (--delete) and the file is made, as rsync; the file was not made.
rm -rf src dst
mkdir -p src dst/x
printf 'data\n' >src/x
printf 'old\n' >dst/x/old
ucp_try --sync --delete --existing --itemize-changes src dst
expect_ok
expect_out_line ">f+++++++++ x"
[ "$(cat dst/x)" = data ] || fail "--existing: the file in place of the directory was not made"
