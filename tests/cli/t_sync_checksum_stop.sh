#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: signals
# SIGTERM or SIGINT during --sync --checksum's comparison of a big file
# ends the run at once: the hash gives up before its next read (it read
# the whole file first, both copies of it, so the signal waited seconds
# for a big one). The run stops itself before the hash (test hook); the
# signal comes then, and every later read would fail (fault hook): a hash
# that went on says so on stderr. A dry run, so that no copy reads the
# file after the comparison. Debug builds (the hooks).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir src
mk_file src/big $((4 << 20))
ucp_try --sync src dst
expect_ok "the first mirror"
# Same size and time, other bytes: only --checksum tells.
printf 'X' | dd of=dst/big bs=1 seek=100 conv=notrunc status=none
touch -r src/big dst/big
for sig in TERM INT; do
	UCP_CMD=()
	ucp_cmd
	# (env: a background job of a script ignores SIGINT.)
	UCP_TEST_STOP_BEFORE_DATA=1 UCP_FAULT=read:1+:EIO \
		env --default-signal=INT,TERM "${UCP_CMD[@]}" --sync --checksum --dry-run src dst >"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	kill -s "$sig" "$STOP_PID"
	stop_resume
	case $sig in
	TERM) expect_rc 143 "SIGTERM during the comparison" ;;
	INT) expect_rc 130 "SIGINT during the comparison" ;;
	esac
	! grep -q 'Input/output error' "$T_ERR" ||
		fail "SIG$sig: the hash went on reading after the signal: $(cat "$T_ERR")"
	assert_no_tmp dst
done
# Undisturbed, the same run finds the changed byte and mends it.
ucp_try --sync --checksum src dst
expect_ok "--checksum after the stopped runs"
cmp src/big dst/big || fail "--checksum did not mend the changed byte"
