#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync of a source whose file and directory became sockets: a socket is
# skipped with a warning (exit 0) whatever the mirror has under its name,
# and is no source entry for --delete, which removes the stale file and
# tree there, as rsync without --specials does. The mirror kept them
# without a word, even with --delete.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v python3 >/dev/null || skip "python3 not installed (it makes the sockets)"
mkdir -p src/y
printf 'x\n' >src/x
printf 'in y\n' >src/y/f
printf 'k\n' >src/keep
ucp_try --sync src/ m
expect_ok
rm -r src/x src/y
python3 -c 'import socket,sys
for p in sys.argv[1:]: socket.socket(socket.AF_UNIX).bind(p)' src/x src/y

ucp_try --sync --itemize-changes src/ m
expect_ok
expect_err_line "ucp: warning: skipping socket 'src/x'"
expect_err_line "ucp: warning: skipping socket 'src/y'"
[ "$(cat m/x)" = x ] ||
	fail "without --delete, m/x changed"
[ -f m/y/f ] || fail "without --delete, m/y/f went"

ucp_try --sync --delete --dry-run --itemize-changes src/ m
expect_ok
expect_err_line "ucp: warning: skipping socket 'src/x'"
grep -qxF '*deleting   x' "$T_OUT" || fail "dry run: x not listed as deleted"
[ -f m/x ] && [ -f m/y/f ] || fail "the dry run deleted"

ucp_try --sync --delete --itemize-changes src/ m
expect_ok
expect_err_line "ucp: warning: skipping socket 'src/y'"
for want in '*deleting   x' '*deleting   y/f' '*deleting   y/'; do
	grep -qxF -- "$want" "$T_OUT" || {
		show_last
		fail "not listed: $want"
	}
done
assert_absent m/x
assert_absent m/y
[ "$(cat m/keep)" = k ] || fail "m/keep changed"
