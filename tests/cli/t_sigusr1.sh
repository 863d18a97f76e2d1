#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGUSR1 makes a running copy print one status line on stderr, as dd does,
# even with no progress display; the copy goes on and succeeds. The line
# ends with the name of the big file if it is being copied at that moment.
# shellcheck disable=SC2034 # RC is read by expect_ok (lib.sh)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 3000
mk_file src/big $((32 << 20))

status_re='^ucp: [0-9.]+[BKMGTP]/[0-9.]+[BKMGTP]\+?  [0-9]+/[0-9]+\+? files  [0-9.]+[BKMGTP]/s.*  elapsed [0-9:]+s?(  src/big)?$'

# ucp stops itself after 100 of its 3,001 files (test hook); the signal is
# queued while it is stopped and handled when it goes on.
stop_run USR1 100 -r src dst
expect_ok
cmp_trees src dst
n=$(grep -cE "$status_re" "$T_ERR" || true)
[ "$n" = 1 ] || {
	show_last
	fail "expected one status line after SIGUSR1, found $n"
}
[ "$(wc -l <"$T_ERR")" = 1 ] || {
	show_last
	fail "stderr holds more than the status line"
}
