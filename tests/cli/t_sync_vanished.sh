#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A source file that vanishes during --sync (between the directory read and
# its stat) is reported, the rest is mirrored, and the exit status is 24.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

lib=$TOP/tests/helpers/vanish.so
[ -f "$lib" ] || skip "tests/helpers/vanish.so not built"
# A dynamically linked sanitizer runtime must come first: no preloading.
if ldd "$UCP" 2>/dev/null | grep -q 'lib[at]san'; then
	skip "the binary links a sanitizer runtime dynamically"
fi
mkdir -p src/d
printf 'stays\n' >src/d/stays
declare -a UCP_CMD
ucp_cmd
# A mirror first: files of directories the run creates are not compared,
# so only an update stats them where the helper can make one vanish.
ucp_try --sync src dst
expect_ok
printf 'goes\n' >src/d/vanishing
printf 'stays too\n' >src/d/stays
RC=0
env LD_PRELOAD="$lib" "${UCP_CMD[@]}" --sync src dst >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 24
expect_err_has "src/d/vanishing"
[ "$(cat dst/d/stays)" = "stays too" ] || fail "the rest was not mirrored"
[ ! -e src/d/vanishing ] || fail "the helper did not remove the file"
