#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the unit test binaries given as arguments: 0 passes, 77 skips, any
# other status fails. Ends with the summary line 'N passed, N failed, N skipped'.
pass=0
fail=0
skip=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	case $rc in
	0)
		pass=$((pass + 1))
		echo "PASS $t"
		;;
	77)
		skip=$((skip + 1))
		echo "SKIP $t"
		;;
	*)
		fail=$((fail + 1))
		echo "FAIL $t (exit $rc)"
		# What failed first, so a log cut short still shows it.
		printf '%s\n' "$out" | grep -E '^\[ *(LINE|ERROR|FAILED) *\]|Failure' |
			sed 's/^/  first: /'
		printf '%s\n' "$out"
		;;
	esac
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
