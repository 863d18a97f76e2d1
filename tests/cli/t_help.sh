#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --help and --version print to stdout and exit 0; --help and the hidden
# --list-options name every long option of the interface.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

long_options="--recursive --target-directory --no-target-directory --verbose
--quiet --jobs --engine --buffer-size --progress --no-progress --help --version"

ucp_try --help
expect_rc 0 "--help"
expect_err_empty
[ -s "$T_OUT" ] || fail "--help printed nothing"
for o in $long_options; do
	grep -qF -- "$o" "$T_OUT" || fail "--help does not mention $o"
done

ucp_try -h
expect_rc 0 "-h"
[ -s "$T_OUT" ] || fail "-h printed nothing"
# -h with more on the line: rsync's -avh printed this help and exited 0,
# a backup script's mirror never made. Refused, nothing made.
mkdir hs
msg="ucp: -h is --help, alone; rsync's -h (--human-readable) and tar's -h (--dereference) are not ucp's options"
expect_usage_error "$msg" --sync -avh hs hm
expect_usage_error "$msg" --tar -h hs h.tar
rmdir hs
# It fits a terminal of 80 columns.
wide=$(awk 'length > 80' "$T_OUT")
[ -z "$wide" ] || fail "--help lines wider than 80 columns: $wide"

ucp_try --version
expect_rc 0 "--version"
expect_err_empty
head -n 1 "$T_OUT" | grep -q ucp || fail "--version does not name ucp"

# As cp: what follows --help or --version is not read (an unknown option
# before them is still an error).
ucp_try --help --bogus -j 0
expect_rc 0 "--help --bogus"
expect_err_empty
grep -qF -- "--recursive" "$T_OUT" || fail "--help --bogus printed no help"
ucp_try --version -j 0
expect_rc 0 "--version -j 0"
ucp_try --bogus --help
expect_rc 2 "--bogus --help"
expect_out_empty

ucp_try --list-options
expect_rc 0 "--list-options"
for o in $long_options; do
	expect_out_line "$o"
done
# Left out of --help, it makes no documented abbreviation ambiguous: it
# is taken only whole (--lis was "ambiguous", naming it).
mkdir -p d
printf 'x\n' >d/f
ucp_try --tar d d.tar
expect_ok
ucp_try --lis d.tar
expect_ok
expect_out_line "d/f"
ucp_try --list-o
expect_rc 2 "--list-o"
expect_err_line "ucp: unrecognized option '--list-o'"
