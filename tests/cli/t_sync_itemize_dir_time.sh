#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: sync
# --itemize-changes says a mirror directory's time changed when it was not
# the source's before the run, also when the run's own write in it (a new
# file, a new hard link) left it equal to the source's by itself: the
# write came in the same tick of the file system's clock as the source's
# change (about one run in four on a fast machine). rsync looks before it
# writes and says it. The run stops itself before the directory's
# attributes are compared (test hook); the test then gives the mirror's
# directory the source's time, as that tick does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
UCP_CMD=()
ucp_cmd
for kind in link file; do
	rm -rf src m
	mkdir -p src/d
	printf 'a\n' >src/d/a
	touch -d '2020-01-01' src/d src
	ucp_try --sync src/ m
	expect_ok "the first mirror ($kind)"
	if [ $kind = link ]; then
		ln src/d/a src/d/b
		line='hf+++++++++ d/b => d/a'
	else
		printf 'b\n' >src/d/b
		line='>f+++++++++ d/b'
	fi
	UCP_TEST_STOP_AT=finalize "${UCP_CMD[@]}" -j 1 --sync \
		--itemize-changes src/ m >"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	[ -e m/d/b ] || fail "stopped before m/d/b was made ($kind)"
	touch -m -r src/d m/d
	stop_resume
	expect_rc 0 "the second run ($kind)"
	printf '%s\n.d..t...... d/\n' "$line" >want
	diff want "$T_OUT" || fail "itemized lines ($kind)"
	[ "$(stat -c %y m/d)" = "$(stat -c %y src/d)" ] ||
		fail "m/d's time is not the source's ($kind)"
done
