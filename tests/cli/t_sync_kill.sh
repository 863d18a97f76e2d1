#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A --sync killed with SIGKILL in the middle leaves only complete files
# under their final names (everything is written to a temporary and
# renamed); running it again removes the temporaries and gives an exact
# mirror. Also after SIGINT and SIGTERM.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 6000
mk_file src/big1 $((48 << 20))
mk_file src/g0/big2 $((48 << 20))
# A first mirror, then changes, so that the killed run replaces files.
ucp_try --sync src dst
expect_ok
for f in src/g1/*; do printf 'changed\n' >>"$f"; done
mk_file src/big1 $((48 << 20))

# file_hashes DIR: "hash path" of every file under DIR but temporaries.
file_hashes() {
	(cd "$1" && find . -type f ! -name '.ucp-*.tmp' -print0 |
		xargs -0r sha256sum | sed 's/  / /')
}

# Each run is stopped after N of the ~101 changed files are replaced (other
# files, big1 among them, still in flight), then signalled.
for run in KILL:1 INT:30 TERM:60; do
	sig=${run%:*}
	file_hashes dst >before.txt
	stop_run "$sig" "${run#*:}" --sync --delete src dst
	case $sig in
	KILL) expect_rc 137 "after SIGKILL" ;;
	INT) expect_rc 130 "after SIGINT" ;;
	TERM) expect_rc 143 "after SIGTERM" ;;
	esac
	[ "$sig" = KILL ] || assert_no_tmp dst
	# Every file under a final name is whole: either the copy the last
	# complete run made, or the source's new contents; never a mix.
	file_hashes src >new.txt
	file_hashes dst >now.txt
	bad=$(awk 'FILENAME == ARGV[1] { old[$2] = $1; next }
		   FILENAME == ARGV[2] { new[$2] = $1; next }
		   $1 != old[$2] && $1 != new[$2] { print $2 }' \
		before.txt new.txt now.txt | head -n 5)
	[ -z "$bad" ] || fail "after SIG$sig: torn files under their final names: $bad"
	[ "$(wc -l <now.txt)" -ge 6000 ] || fail "after SIG$sig: files lost in dst"
	ucp_try --sync --delete src dst
	expect_ok
	expect_mirror src dst
	# Make the next round replace files again.
	for f in src/g1/*; do printf 'again\n' >>"$f"; done
	mk_file src/big1 $((48 << 20))
done
