#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Memory that runs out as a run starts (ulimit -v) is said: ucp exited 1
# without a word where the run's own set-up could not allocate (cp says
# "memory exhausted"). Every limit from where the loader itself gives up
# (exit 127, before ucp runs) to where the copy succeeds: a failure has
# its message, and a success its copy.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

# AddressSanitizer reserves terabytes of address space: no limit lets it
# run (linked in statically by clang, dynamically by gcc).
if grep -qa '__asan_init' "$UCP" || ldd "$UCP" 2>/dev/null | grep -q 'lib[at]san'; then
	skip "the binary has AddressSanitizer, which cannot run under ulimit -v"
fi
mkdir src
printf 'a\n' >src/a
ucp_cmd
ok=
for kib in $(seq 2000 200 20000); do
	for how in "-a" "--sync"; do
		rm -rf dst
		RC=0
		# shellcheck disable=SC2086 # split on purpose
		(ulimit -v "$kib" && exec "${UCP_CMD[@]}" $how src dst) \
			>"$T_OUT" 2>"$T_ERR" || RC=$?
		case $RC in
		0)
			cmp src/a dst/a || fail "$how under $kib KiB: exit 0, no copy"
			ok=$kib
			;;
		127) ;; # (the loader, before ucp)
		*)
			[ -s "$T_ERR" ] || fail "$how under $kib KiB: exit $RC without a message"
			;;
		esac
	done
	[ -n "$ok" ] && break
done
[ -n "$ok" ] || fail "no limit up to 20000 KiB let the copy run"
