#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A source file that vanishes during --sync (between the directory read and
# its stat) is reported, the rest is mirrored, and the exit status is 24.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_preload vanish
lib=$PRELOAD
mkdir -p src/d
printf 'stays\n' >src/d/stays
declare -a UCP_CMD
ucp_cmd
# A mirror first, so that the second run compares d's entries (read and
# stat'ed ahead in batches), while new/ is a directory it creates.
ucp_try --sync src dst
expect_ok
printf 'goes\n' >src/d/vanishing
printf 'stays too\n' >src/d/stays
mkdir src/new
printf 'goes too\n' >src/new/vanishing
printf 'new\n' >src/new/kept
RC=0
env LD_PRELOAD="$lib" "${UCP_CMD[@]}" --sync src dst >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 24
expect_err_has "src/d/vanishing"
expect_err_has "src/new/vanishing"
[ "$(cat dst/d/stays)" = "stays too" ] || fail "the rest was not mirrored"
[ "$(cat dst/new/kept)" = "new" ] || fail "the new directory was not mirrored"
[ ! -e src/d/vanishing ] && [ ! -e src/new/vanishing ] ||
	fail "the helper did not remove the files"
[ ! -e dst/d/vanishing ] && [ ! -e dst/new/vanishing ] ||
	fail "a vanished file was copied"
