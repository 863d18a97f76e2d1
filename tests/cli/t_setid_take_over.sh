#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Root copying over an existing set-ID file while keeping the owner but not
# the mode (--preserve=ownership, -a --no-preserve=mode): the copy keeps
# the old file's mode as cp does, and loses its set-ID bits exactly where
# cp's chown of the old file clears them: when the source's owner or group
# is not the old file's (S_ISGID only with group execute). ucp gave a
# replaced file set-UID to another user the source's owner, root: a
# set-UID root program with the source's bytes. Where the old file had the
# source's owner already, cp makes no chown and the bits stay (ucp's later
# chown cleared them). Both engines, a small and a big file.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the files must be other users'"
# case: the source's owner, the old file's owner and mode, what it must be
check() {
	local want=$4 got
	chown "$1" src
	printf 'old\n' >dst
	chown "$2" dst
	chmod "$3" dst
	ucp_try "${how[@]}" src dst
	expect_ok "${how[*]} over $2 $3 from $1"
	cmp -s src dst || fail "${how[*]} over $2 $3: not the source's bytes"
	got=$(stat -c '%A %u:%g' dst)
	[ "$got" = "$want" ] ||
		fail "${how[*]} over $2 $3 from $1: $got, not $want (cp's)"
}

for size in 10 $((3 << 20)); do
	head -c "$size" /dev/urandom >src
	for how in "--preserve=ownership" "-a --no-preserve=mode"; do
		read -ra how <<<"$how"
		# Another user's set-ID file replaced by root's: no set-ID.
		check 0:0 1234:2345 6755 "-rwxr-xr-x 0:0"
		check 0:0 1234:2345 4700 "-rwx------ 0:0"
		# S_ISGID without group execute is no set-GID: it stays.
		check 0:0 1234:2345 2745 "-rwxr-Sr-x 0:0"
		# The owner is the source's already: both bits stay.
		check 1234:0 1234:0 6755 "-rwsr-sr-x 1234:0"
		check 1234:2345 1234:2345 4755 "-rwsr-xr-x 1234:2345"
		# Only the group differs: set-UID goes too, as chown takes it.
		check 1234:0 1234:2345 6755 "-rwxr-xr-x 1234:0"
	done
done
