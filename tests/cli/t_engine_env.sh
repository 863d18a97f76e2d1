#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# UCP_ENGINE selects the engine, --engine wins over it, an unknown engine is a
# usage error, and --engine=uring fails cleanly where io_uring is blocked.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_sizes src
mk_many src/many 300

RC=0
UCP_ENGINE=threads run_ucp_raw -r src dst_env >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "UCP_ENGINE=threads"
cmp_trees src dst_env

ucp_try_raw --engine=threads -r src dst_threads
expect_rc 0 "--engine=threads"
cmp_trees src dst_threads

ucp_try_raw --engine=bogus -r src dst_bogus
expect_rc 2 "--engine=bogus"
expect_err_has "ucp: invalid engine: 'bogus'"
expect_err_line "$TRY_LINE"
assert_absent dst_bogus

# Where the kernel offers io_uring the uring engine must work; where it
# does not, it must say so.
ucp_try_raw --engine=uring -r src dst_uring
if [ "$RC" = 0 ]; then
	cmp_trees src dst_uring
else
	expect_rc 1 "--engine=uring"
	expect_err_has "ucp: io_uring engine unavailable"
fi

need_noiouring
RC=0
"$NOIOURING" "$UCP" --engine=uring -r src dst_blocked >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 1 "--engine=uring with io_uring blocked"
expect_err_has "ucp: io_uring engine unavailable: "

RC=0
UCP_ENGINE=uring "$NOIOURING" "$UCP" -r src dst_blocked_env >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 1 "UCP_ENGINE=uring with io_uring blocked"
expect_err_has "ucp: io_uring engine unavailable: "

RC=0
UCP_ENGINE=uring "$NOIOURING" "$UCP" --engine=threads -r src dst_override >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "--engine=threads over UCP_ENGINE=uring"
cmp_trees src dst_override

# A UCP_ENGINE that is no engine: a warning, and the run goes on with the
# default; -q silences it, as it does every warning.
RC=0
UCP_ENGINE=bogus run_ucp_raw -r src dst_env_bogus >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "UCP_ENGINE=bogus"
expect_err_exact "ucp: warning: ignoring invalid UCP_ENGINE 'bogus'"
cmp_trees src dst_env_bogus
RC=0
UCP_ENGINE=bogus run_ucp_raw -q -r src dst_env_quiet >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "UCP_ENGINE=bogus -q"
expect_err_empty
# --engine given: UCP_ENGINE is not looked at, nor warned of.
RC=0
UCP_ENGINE=bogus run_ucp_raw --engine=threads -r src dst_env_given >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 0 "UCP_ENGINE=bogus --engine=threads"
expect_err_empty
