#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --link-dest: a reference directory the user may search but not read
# (mode 0111) still gives its files as twins, at its root and below it, as
# rsync's paths into it do: ucp only looks names up there, it never lists
# them. As an unprivileged user (root reads everything).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
mkdir -p src/d/e
printf 'top\n' >src/top
printf 'mid\n' >src/d/mid
printf 'low\n' >src/d/e/low
unpriv_own src
"${UNPRIV[@]}" "$UCP" --sync src/ snap1 || fail "the first snapshot failed"
chmod 111 snap1 snap1/d snap1/d/e
ucp_try_unpriv --sync --link-dest=../snap1 src/ snap2
expect_ok
expect_mirror src snap2
for f in top d/mid d/e/low; do
	[ "$(stat -c %i "snap1/$f")" = "$(stat -c %i "snap2/$f")" ] ||
		fail "$f was copied, not linked to its twin in an unreadable reference"
done
