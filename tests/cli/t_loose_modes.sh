#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# On a file system that gives files a mode of its own and refuses chmod
# (FAT), -p, -a and --sync report each file whose mode could not be kept,
# as cp -p does ("preserving permissions"), exit 1: a file made with the
# mode it should have was taken to have it, so every lost mode but the
# top directory's went unsaid (a single file: exit 0); and the copy is
# made all the same (a mirror's new file, or a file replaced, was left out
# for its mode). FAT in the kernel, else through FUSE (fusefat).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "needs root to loop-mount a FAT image"
command -v mkfs.vfat >/dev/null || skip "mkfs.vfat not installed (package dosfstools)"
truncate -s 64M fat.img
mkfs.vfat fat.img >/dev/null 2>&1 || skip "mkfs.vfat failed"
mkdir m
HERE=$(pwd)
if mount -t vfat -o loop fat.img m 2>/dev/null; then
	:
elif command -v fusefat >/dev/null && [ -c /dev/fuse ] &&
	fusefat -o rw+ fat.img m >/dev/null 2>&1; then
	:
else
	skip "no FAT file system can be mounted here (vfat, fusefat)"
fi
# shellcheck disable=SC2016 # expanded when the trap runs
trap 'cd / && umount "$HERE/m"' EXIT
printf 'p\n' >m/probe
if chmod 600 m/probe 2>/dev/null; then
	skip "this FAT takes chmod: no mode is refused to report"
fi
mkdir src
for m in 644 600 755; do
	printf '%s\n' "$m" >"src/f$m"
	chmod "$m" "src/f$m"
done
for how in "-rp" "-a" "--sync"; do
	if [ "$how" = --sync ]; then
		# Into a mirror there (a new one is renamed into place once
		# made, and fusefat loses a renamed directory's entries).
		mkdir "m/d$how"
		ucp_try "$how" src/ "m/d$how"
	else
		ucp_try "$how" src "m/d$how"
	fi
	expect_rc 1 "$how onto FAT"
	for m in 644 600 755; do
		f="m/d$how/f$m"
		[ "$(stat -c %a "$f")" = "$m" ] ||
			grep -q "^ucp: cannot set permissions of '$f': " "$T_ERR" ||
			fail "$how: $f is $(stat -c %a "$f"), not $m, and no error says so"
		cmp "src/f$m" "$f" || fail "$how: the data of $f"
	done
done
# One file, new and then over the copy: the run's only file, exit 1.
for round in new over; do
	printf '%s\n' "$round" >src/f644
	ucp_try -p src/f644 m/one
	expect_rc 1 "-p of one file onto FAT ($round)"
	[ "$(stat -c %a m/one)" = 644 ] || expect_err_has "cannot set permissions of 'm/one'"
	cmp src/f644 m/one || fail "-p of one file onto FAT ($round): the data"
done
# A mirror's changed file is replaced all the same.
printf 'changed\n' >src/f600
ucp_try --sync src/ m/d--sync
expect_rc 1 "--sync of a changed file onto FAT"
cmp src/f600 m/d--sync/f600 || fail "--sync onto FAT: the changed file was not replaced"
