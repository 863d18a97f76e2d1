#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A destination directory replaced by a symlink to a directory outside the
# destination while ucp fills it (ucp is stopped at a known point, the
# swap made, then it goes on): no mode, owner, time or entry reaches the
# outside directory, with -a and with --sync.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir -p src/d outside
for i in $(seq 1 200); do printf '%d\n' "$i" >"src/d/f$i"; done
chmod 0751 src/d
chmod 0700 outside
touch -d '2001-01-01 00:00:00 UTC' outside
outside_state() {
	stat -c '%a %u %g %Y' outside
	find outside -mindepth 1
}
before=$(outside_state)

# swap DIR: move DIR away and put a symlink to ../outside in its place.
swap() {
	mv "$1" "$1.moved"
	ln -s "$(pwd)/outside" "$1"
}

# -a: stopped after 100 of the 200 files of d.
stop_start 100 -a src dst
swap dst/d
stop_resume
[ "$(outside_state)" = "$before" ] || {
	show_last
	fail "-a changed the outside directory: $(outside_state)"
}
# What was left to do went to the directory ucp made, by its descriptor.
[ "$(find dst/d.moved -type f | wc -l)" = 200 ] || fail "files lost"
assert_mode dst/d.moved 751

# --sync into an existing mirror whose d must be fixed (mode and files).
ucp_try --sync src mirror
expect_ok
chmod 0705 src/d
for i in $(seq 1 200); do printf 'again\n' >>"src/d/f$i"; done
stop_start 100 --sync src mirror
swap mirror/d
stop_resume
[ "$(outside_state)" = "$before" ] || {
	show_last
	fail "--sync changed the outside directory: $(outside_state)"
}
