#!/bin/sh
# SPDX-License-Identifier: MIT
#
# lint.sh: clang-tidy with the checks of .clang-tidy (STYLE.md §15) over
# src/ and cmd/, as a ratchet: every finding not listed in
# scripts/lint-baseline.txt fails the run, so nothing new lands, while the
# findings from before the gate existed are paid off one by one (a listed
# one that is gone is reported, to be taken off the list). Run by make
# lint.
#
# A finding is named by file, check and message with the numbers taken
# out ("src/x.c [check] function 'f' has cognitive complexity of N"), so
# that moving code or changing a score does not make it new.
#
# Usage: scripts/lint.sh [--baseline] CLANG_TIDY -- COMPILER_FLAGS...
#   --baseline  write the findings of today into the baseline instead
set -eu

write=0
if [ "${1:-}" = --baseline ]; then
	write=1
	shift
fi
tidy=$1
shift
[ "${1:-}" = -- ] && shift
base=scripts/lint-baseline.txt
found=$(mktemp)
trap 'rm -f "$found" "$found.new" "$found.gone"' EXIT

for f in src/*.c cmd/*.c; do
	"$tidy" --quiet "$f" -- "$@" 2>/dev/null |
		sed -n "s#^.*/\(\(src\|cmd\)/[^:]*\):[0-9]*:[0-9]*: warning: \(.*\) \(\[[A-Za-z0-9._,-]*\]\)\$#\1 \4 \3#p"
done | sed 's/[0-9][0-9]*/N/g' | LC_ALL=C sort -u >"$found"

if [ "$write" = 1 ]; then
	cp "$found" "$base"
	echo "lint: $(wc -l <"$base") findings written to $base"
	exit 0
fi
LC_ALL=C comm -23 "$found" "$base" >"$found.new"
LC_ALL=C comm -13 "$found" "$base" >"$found.gone"
if [ -s "$found.gone" ]; then
	echo "lint: fixed, take these off $base:"
	sed 's/^/  /' "$found.gone"
fi
if [ -s "$found.new" ]; then
	echo "lint: new findings (fix them; the baseline is for old ones):"
	sed 's/^/  /' "$found.new"
	exit 1
fi
echo "lint: ok ($(wc -l <"$found") known findings left in $base)"
