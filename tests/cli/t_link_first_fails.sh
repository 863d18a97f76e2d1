#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# With hard links kept (-a, --sync), when the copy of a group's first name
# fails, the next name copies the data and the rest link to it, as cp
# forgets a failed first copy: one error, for the name that failed, never
# "cannot create hard link" for the others (they were reported so, and not
# copied at all). Names in one directory wait for the copy in flight; names
# in other directories come after it, or wait too (UCP_TEST_LINK_WAIT holds
# the first name until another waits): both kinds take it over. A fault at
# the create and one in the data, each on the first call (UCP_FAULT).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

mkdir -p src/a src/b src/c src/d
head -c 300000 /dev/urandom >src/a/f
for n in b/f c/f d/g d/h d/i; do
	ln src/a/f "src/$n"
done
names="a/f b/f c/f d/g d/h d/i"

# check DST: one error line, naming a name of the group; the other four
# names are one inode with the source's bytes; the failed one is absent.
check() {
	local failed="" n ino="" made=0
	[ "$(wc -l <"$T_ERR")" = 1 ] ||
		fail "$1: expected one error line, got: $(cat "$T_ERR")"
	expect_err_lacks "hard link"
	for n in $names; do
		if grep -q "'$1/$n'" "$T_ERR"; then
			failed=$n
			assert_absent "$1/$n"
			continue
		fi
		cmp src/a/f "$1/$n" || fail "$1/$n: wrong data"
		[ -z "$ino" ] || [ "$(stat -c %i "$1/$n")" = "$ino" ] ||
			fail "$1/$n: not linked to the rest of its group"
		ino=$(stat -c %i "$1/$n")
		made=$((made + 1))
	done
	[ -n "$failed" ] || fail "$1: the error names no file of the group: $(cat "$T_ERR")"
	[ "$made" = 5 ] || fail "$1: $made names made, expected 5"
	[ "$(stat -c %h "$1/b/f" 2>/dev/null || stat -c %h "$1/c/f")" = 5 ] ||
		fail "$1: the copy has not 5 links"
	assert_no_tmp "$1"
}

for fault in create:1:EIO write:1:EIO,cfr:1:EIO; do
	for opt in -aT --sync; do
		dst=out${opt#-}_${fault%%:*}
		UCP_TEST_LINK_WAIT=1 UCP_FAULT=$fault ucp_try -j 2 "$opt" src "$dst"
		expect_rc 1
		check "$dst"
		# A second run makes the missing name a link to the rest.
		ucp_try "$opt" src "$dst"
		expect_ok
		for n in $names; do
			[ "$(stat -c %i "$dst/$n")" = "$(stat -c %i "$dst/a/f")" ] ||
				fail "$dst/$n: not linked after the second run"
		done
		cmp_trees src "$dst"
	done
done

# The names handled anew count their bytes once: the progress totals of a
# run without the counting walk end at the six names' bytes.
rm -rf outp
UCP_TEST_LINK_WAIT=1 UCP_FAULT=create:1:EIO ucp_try -j 2 -aT --no-scan --progress=json src outp
expect_rc 1
total=$(grep -o '"bytes_total":[0-9]*' "$T_ERR" | tail -n 1 | cut -d: -f2)
[ "$total" = $((6 * 300000)) ] || fail "bytes_total $total, expected $((6 * 300000))"
