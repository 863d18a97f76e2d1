#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -q prints errors only: no warnings, no progress (even when asked for), no
# summary line of any kind, and nothing on stdout.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_many src 300
mkdir -p dst/src/g1/f101

ucp_try -q -r src dst
expect_rc 1
expect_out_empty
expect_err_exact "ucp: cannot overwrite directory 'dst/src/g1/f101' with non-directory 'src/g1/f101'"

# -q wins over --progress=plain and bar, whatever comes first.
ucp_try -q --progress=plain -r src dst
expect_rc 1
expect_err_exact "ucp: cannot overwrite directory 'dst/src/g1/f101' with non-directory 'src/g1/f101'"
ucp_try --progress=bar -r -q src dst
expect_rc 1
expect_err_exact "ucp: cannot overwrite directory 'dst/src/g1/f101' with non-directory 'src/g1/f101'"

# A clean run prints nothing at all.
ucp_try -q -r src clean
expect_ok
expect_out_empty
expect_err_empty

# Warnings (a socket is skipped) are not printed under -q, but are without.
if command -v python3 >/dev/null &&
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
		src/sock 2>/dev/null; then
	ucp_try -r src withwarn
	expect_ok
	expect_err_line "ucp: warning: skipping socket 'src/sock'"
	ucp_try -q -r src nowarn
	expect_ok
	expect_err_empty
fi

# -q prints errors only: not -v's lines, nor --itemize-changes' (as rsync
# -q), before or after it.
ucp_try -q -rv src qv
expect_ok
expect_out_empty
ucp_try -rv -q src qv2
expect_ok
expect_out_empty
ucp_try -q --sync --itemize-changes src qi
expect_ok
expect_out_empty
