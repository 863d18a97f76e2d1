#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync --delete into a mirror on a file system that does not tell case
# apart (exFAT or FAT, loop-mounted by the test): a source entry renamed in
# case only ("Docs" to "docs") is copied into the mirror's "Docs", which
# both spellings reach. The deletion pass must not then take "Docs" for an
# entry the source lacks and delete it, and with it the only copy.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mount_nocase mnt

mkdir -p src/Docs/Deep
for i in 1 2 3; do echo "file $i" >"src/Docs/f$i"; done
echo deep >src/Docs/Deep/g
echo readme >src/README
echo other >src/other
# (FAT keeps times to 2 seconds: --modify-window=1 lets runs settle.)
ucp_try --sync --delete --modify-window=1 src mnt/m
expect_ok "first sync"

mv src/Docs src/docs
mv src/README src/Readme
echo "changed too" >>src/Readme
rm src/other
ucp_try --sync --delete --modify-window=1 --itemize-changes src mnt/m
expect_ok "sync after renames in case only"
grep -q "deleting *other" "$T_OUT" || fail "the file the source lost was not deleted: $(cat "$T_OUT")"
! grep -qiE "deleting *(docs|readme)" "$T_OUT" ||
	fail "an entry renamed in case only was deleted: $(cat "$T_OUT")"
[ ! -e mnt/m/other ] || fail "'other' is still in the mirror"
# spelled DIR NAME: DIR/NAME as the mirror spells it (read by another
# spelling, exFAT through FUSE can show a name's stale pages).
spelled() {
	local e
	e=$(cd "$1" && ls | grep -ix -- "$2") || fail "no '$2' in '$1' in any case"
	printf '%s/%s\n' "$1" "$e"
}
docs=$(spelled mnt/m docs)
for i in 1 2 3; do
	[ "$(cat "$docs/f$i")" = "file $i" ] || fail "docs/f$i lost or wrong"
done
[ "$(cat "$(spelled "$docs" deep)/g")" = deep ] || fail "docs/Deep/g lost or wrong"
[ "$(cat "$(spelled mnt/m readme)")" = "$(printf 'readme\nchanged too')" ] ||
	fail "the changed Readme is lost or wrong"

# The next run keeps them too, and a dry run plans no deletion.
ucp_try --sync --delete --modify-window=1 --dry-run --itemize-changes src mnt/m
expect_ok "dry run"
! grep -q deleting "$T_OUT" || fail "a dry run plans deletions: $(cat "$T_OUT")"
ucp_try --sync --delete --modify-window=1 --itemize-changes src mnt/m
expect_ok "third sync"
! grep -q deleting "$T_OUT" || fail "the third run deletes: $(cat "$T_OUT")"
[ "$(cat "$(spelled mnt/m docs)/f1")" = "file 1" ] || fail "docs/f1 lost on the third run"
[ -f "$(spelled mnt/m readme)" ] || fail "Readme lost on the third run"

# Letters beyond ASCII too ("Été" to "été"), where the C.UTF-8 locale
# tells their case.
if locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8'; then
	up="$(printf '\303\211')t$(printf '\303\251')"
	low="$(printf '\303\251')t$(printf '\303\251')"
	mkdir "src/$up"
	echo accent >"src/$up/g"
	ucp_try --sync --delete --modify-window=1 src mnt/m
	expect_ok "sync of a name beyond ASCII"
	mv "src/$up" "src/$low"
	ucp_try --sync --delete --modify-window=1 --itemize-changes src mnt/m
	expect_ok "sync after a rename in case only beyond ASCII"
	! grep -q deleting "$T_OUT" || fail "a name renamed in case only beyond ASCII was deleted: $(cat "$T_OUT")"
	# (grep -i cannot fold these in every locale: both spellings tried.)
	[ "$(cat "mnt/m/$up/g" 2>/dev/null || cat "mnt/m/$low/g")" = accent ] ||
		fail "the copy of $low is lost: $(ls mnt/m)"
fi
