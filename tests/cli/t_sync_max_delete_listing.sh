#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --max-delete with --itemize-changes: the listing names exactly what went
# (a doomed directory stopped part-way is not listed whole), and a
# --dry-run lists, and counts entry by entry, the same entries that the
# real run then deletes.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src dst/gone/sub dst/gone/sub2
printf 'keep\n' >src/keep
cp -p src/keep dst/keep
for i in 1 2 3 4 5 6 7 8; do
	printf 'x\n' >"dst/gone/f$i"
	printf 'x\n' >"dst/gone/sub/s$i"
	printf 'x\n' >"dst/gone/sub2/t$i"
done
printf 'x\n' >dst/zz_extra
touch -d '2001-01-01' src src/keep dst/keep
extras=$(cd dst && find . -mindepth 1 ! -name keep | sed 's|^\./||' | sort)
limit=11

# What lines name, as paths (directories without their '/').
listed() {
	sed -n 's|^\*deleting   \(.*\)$|\1|p' "$T_OUT" | sed 's|/$||'
}

ucp_try --sync --delete --max-delete=$limit --itemize-changes --dry-run src/ dst
expect_rc 25
expect_err_has "deletions stopped due to --max-delete limit"
dry=$(listed)
[ "$(printf '%s\n' "$dry" | grep -c .)" = $limit ] ||
	fail "the dry run listed $(printf '%s\n' "$dry" | grep -c .) entries, limit $limit"
dry_err=$(grep 'skipped' "$T_ERR")
[ "$(cd dst && find . -mindepth 1 ! -name keep | sed 's|^\./||' | sort)" = "$extras" ] ||
	fail "the dry run deleted"

ucp_try --sync --delete --max-delete=$limit --itemize-changes src/ dst
expect_rc 25
real=$(listed)
[ "$(printf '%s\n' "$real" | grep -c .)" = $limit ] ||
	fail "listed $(printf '%s\n' "$real" | grep -c .) entries, limit $limit"
left=$(cd dst && find . -mindepth 1 ! -name keep | sed 's|^\./||' | sort)
gone=$(comm -23 <(printf '%s\n' "$extras") <(printf '%s\n' "$left"))
[ "$(printf '%s\n' "$real" | sort)" = "$gone" ] || {
	printf 'listed:\n%s\ngone:\n%s\n' "$real" "$gone" >&2
	fail "the listing is not what went"
}
[ "$real" = "$dry" ] || {
	printf 'dry run:\n%s\nreal run:\n%s\n' "$dry" "$real" >&2
	fail "the dry run listed other entries than the real run deleted"
}
[ "$(grep 'skipped' "$T_ERR")" = "$dry_err" ] ||
	fail "the dry run counted the skipped entries otherwise: $dry_err"
# The directory stopped part-way stays, and is not listed.
[ -d dst/gone ] || fail "dst/gone went"
if grep -qx 'gone' <<<"$real"; then
	fail "gone/ listed, but it stayed"
fi

ucp_try --sync --delete --itemize-changes src/ dst
expect_ok
expect_mirror src dst

# What the rules spare is no deletion: a directory that stays for an
# excluded file in it does not reach the limit, and is not counted among
# the skipped (the run said "deletions stopped" and exited 25 where nothing
# more would go; rsync exits 0 there).
rm -rf src dst dry
mkdir -p src dst/gone dst/zkeep
touch src/f dst/f dst/gone/keep.o dst/gone/b dst/a dst/zkeep/keep.o
cp -a dst dry
for d in dry dst; do
	opt=
	[ "$d" = dry ] && opt=--dry-run
	ucp_try --sync --delete --exclude='*.o' --max-delete=2 --itemize-changes ${opt:+"$opt"} src "$d"
	expect_ok
	expect_err_empty
done
[ -e dst/gone/keep.o ] && [ -e dst/zkeep/keep.o ] && [ ! -e dst/gone/b ] && [ ! -e dst/a ] ||
	fail "--max-delete=2 with excluded files: $(cd dst && find . | sort | tr '\n' ' ')"
# At 0: one entry would go, and one is said to be skipped.
rm -rf dst
mkdir -p dst/gone
touch dst/f dst/gone/keep.o dst/gone/b
ucp_try --sync --delete --exclude='*.o' --max-delete=0 src dst
expect_rc 25
expect_err_has "deletions stopped due to --max-delete limit (1 skipped)"
