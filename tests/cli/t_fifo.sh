#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A FIFO in a tree, and a FIFO operand with -r, are recreated as FIFOs without
# being opened.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src
mkfifo src/p
chmod 640 src/p
printf 'x\n' >src/x

local_cmd() {
	local -a UCP_CMD
	ucp_cmd
	RC=0
	timeout 120 "${UCP_CMD[@]}" "$@" >"$T_OUT" 2>"$T_ERR" || RC=$?
	[ "$RC" != 124 ] || fail "ucp $* hung (did it open the FIFO?)"
}

local_cmd -r src dst
expect_ok
[ -p dst/p ] || fail "'dst/p' is not a FIFO"
cmp_trees src dst

local_cmd -r src/p q
expect_rc 0 "FIFO operand"
[ -p q ] || fail "'q' is not a FIFO"
assert_mode q 640
