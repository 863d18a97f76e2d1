#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Two hard-linked names deeper than PATH_MAX: a --sync after the first
# finds them linked already and does nothing. (The check of the link went
# by the whole path, which failed there, so every run linked a temporary
# and renamed it over the name, which is a no-op between two names of one
# file: a hidden temporary was left each run, and the pair itemized.)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

n=d0000000000000000000000000000
mkdir src
(
	cd src
	for _ in $(seq 150); do
		mkdir $n
		cd $n
	done
	printf 'deep\n' >f
	ln f hl
)
# bottom DIR: the deepest directory of DIR's chain, as a path from here
# (echoed in pieces: the caller cds there step by step).
files_at_bottom() {
	(
		cd "$1"
		while cd $n 2>/dev/null; do :; done
		ls -A | tr '\n' ' '
		stat -c %h f
	)
}
ucp_try --sync src dst
expect_ok "first sync"
[ "$(files_at_bottom dst)" = "f hl 2" ] || fail "after the first run: $(files_at_bottom dst)"
for run in 2 3; do
	ucp_try --sync --itemize-changes src dst
	expect_ok "sync run $run"
	[ ! -s "$T_OUT" ] || fail "run $run changes: $(cut -c1-20 "$T_OUT")"
	[ "$(files_at_bottom dst)" = "f hl 2" ] || fail "after run $run: $(files_at_bottom dst)"
done
