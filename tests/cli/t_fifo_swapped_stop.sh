#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# In a directory only the run's user may change, the ring opens a file by
# name in its chain of requests. A FIFO put in the file's place just
# before (a tree that changes under a root's run) is opened and read by
# the ring, which waits for a writer, then for data, for ever: SIGTERM was
# recorded and the run waited for the ring without end. Now a stopped run
# cancels what it has in flight: it ends, 143. The job stops just before
# its open (UCP_TEST_STOP_OPEN); once the ring waits on the FIFO (a writer
# can open it: a reader is there), a writer holds it open, silent, and
# the run is told to stop.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
command -v python3 >/dev/null || skip "python3 not installed (it holds the FIFO)"
mkdir src
chmod 0755 src
head -c 10000 /dev/urandom >src/f
local_ucp() {
	local -a UCP_CMD
	ucp_cmd
	UCP_TEST_STOP_OPEN=1 env --default-signal=INT,TERM \
		timeout -s KILL 120 "${UCP_CMD[@]}" --engine=uring -j 1 "$@" \
		>"$T_OUT" 2>"$T_ERR" &
	TPID=$!
}
local_ucp -r src dst
UPID=$(child_of "$TPID")
ring_stopped "$UPID" "$TPID"
rm src/f
mkfifo src/f
kill -s CONT "$UPID"
# The writer: opened once the ring's open of the FIFO is there (before,
# ENXIO), then held, silent, until told (the file 'finished').
python3 - src/f <<'PY' &
import errno, os, sys, time
while True:
    try:
        fd = os.open(sys.argv[1], os.O_WRONLY | os.O_NONBLOCK)
        break
    except OSError as e:
        if e.errno != errno.ENXIO:
            raise
        time.sleep(0.01)
open("opened", "w").close()
while not os.path.exists("finished"):
    time.sleep(0.01)
PY
WPID=$!
until [ -e opened ] || [ "$(proc_state "$WPID")" = gone ]; do sleep 0.01; done
[ -e opened ] || fail "the writer could not open the FIFO"
kill -s TERM "$UPID"
RC=0
wait "$TPID" || RC=$?
: >finished
wait "$WPID" || true
[ "$RC" != 137 ] || fail "the run did not end on SIGTERM (killed after two minutes)"
expect_rc 143 "SIGTERM while the ring read a FIFO"
assert_no_tmp dst
