#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Every long option in the option table appears in the man page and in the
# bash, zsh and fish completions, and none of them lists an option that
# does not exist.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

ucp_try --list-options
expect_ok
sort -u "$T_OUT" >table
[ -s table ] || fail "--list-options printed nothing"

# The man page writes long options as '.Fl -name' (or with escaped dashes).
grep -oE 'Fl \\?-[a-z][a-z0-9\\-]*' "$TOP/man/ucp.1" | sed 's/^Fl //; s/\\//g; s/^/-/' |
	sort -u >man.opts
grep -oE -- '--[a-z][a-z0-9-]*' "$TOP/completions/ucp.bash" | sort -u >bash.opts
grep -oE -- '--[a-z][a-z0-9-]*' "$TOP/completions/_ucp" | sort -u >zsh.opts
grep -oE -- '-l [a-z][a-z0-9-]*' "$TOP/completions/ucp.fish" |
	sed 's/^-l /--/' | sort -u >fish.opts

for f in man bash zsh fish; do
	if ! diff -u table "$f.opts" >"$f.diff"; then
		cat "$f.diff" >&2
		fail "long options in $f differ from 'ucp --list-options' (- table, + $f)"
	fi
done
