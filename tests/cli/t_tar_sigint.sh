#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once serial
# SIGINT stops --untar between members and --tar between entries: exit 130,
# every extracted file complete, no temporary archive left. The archive
# streams are held back by the test until the signal has been sent, so the
# outcome does not depend on timing.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
for i in $(seq 1 40); do
	head -c $((i * 5000)) /dev/urandom >"src/d/f$i"
done
ucp_try --tar src a.tar
expect_ok
size=$(stat -c %s a.tar)
ucp_cmd

# Extraction: the first half of the archive, then a pause until 'go1'.
{
	head -c $((size / 2)) a.tar
	until [ -e go1 ] || [ ! -e a.tar ]; do sleep 0.05; done
	tail -c +$((size / 2 + 1)) a.tar
} | env --default-signal=INT "${UCP_CMD[@]}" --untar - out >"$T_OUT" 2>"$T_ERR" &
pid=$!
until [ -n "$(find out -type f 2>/dev/null | head -n 1)" ] ||
	! kill -0 "$pid" 2>/dev/null; do
	sleep 0.05
done
kill -s INT "$pid" 2>/dev/null || true
: >go1
RC=0
wait "$pid" || RC=$?
expect_rc 130 "--untar after SIGINT"
while IFS= read -r -d '' f; do
	cmp -s "$f" "src/${f#out/src/}" || fail "incomplete file after SIGINT: $f"
done < <(find out -type f -print0)
[ "$(find out -type f | wc -l)" -lt 40 ] || fail "--untar went on to the end after SIGINT"

# Creation into a pipe that is not read until the signal was sent. (Each
# part has its own flag, left in place; a writer or reader that has not
# seen it when the test ends stops once its directory is gone.)
env --default-signal=INT "${UCP_CMD[@]}" --tar src - 2>"$T_ERR" > >(
	until [ -e go2 ] || [ ! -e a.tar ]; do sleep 0.05; done
	cat >/dev/null
) &
pid=$!
until [ -n "$(find . -maxdepth 0 -newer a.tar)" ] || ! kill -0 "$pid" 2>/dev/null; do
	sleep 0.05
done
sleep 0.2
kill -s INT "$pid" 2>/dev/null || true
: >go2
RC=0
# shellcheck disable=SC2034 # RC is read by expect_rc
wait "$pid" || RC=$?
expect_rc 130 "--tar after SIGINT"
