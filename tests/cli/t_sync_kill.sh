#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
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

killed=0
for sig in KILL INT TERM; do
	for delay in 0.2 0.05 0; do
		signal_run "$sig" "$delay" --sync --delete src dst
		[ "$RC" != 0 ] || continue
		killed=$((killed + 1))
		# Every file under a final name is complete.
		(cd dst && find . -type f ! -name '.ucp-*.tmp' -print0) |
			while IFS= read -r -d '' f; do
				if [ -e "src/$f" ] && ! cmp -s "src/$f" "dst/$f"; then
					# Not yet updated is fine: then it is the old copy
					# of a file that changed (g1/* or big1), whole.
					case $f in ./g1/* | ./big1) ;;
					*) fail "after SIG$sig: dst/$f is not the source's" ;;
					esac
				fi
			done
		ucp_try --sync --delete src dst
		expect_ok
		expect_mirror src dst
		# Make the next round replace files again.
		for f in src/g1/*; do printf 'again\n' >>"$f"; done
		break
	done
done
[ "$killed" -gt 0 ] || skip "every run finished before its signal arrived"
