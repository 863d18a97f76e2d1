#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Without -r, a FIFO or a device given as an operand is read like a file,
# as cp reads it: ucp /dev/null f empties f (it never becomes a device
# node), a FIFO's data goes into a regular file, over an existing one too,
# with both engines. With -r (or -a) the node is made, as cp -R makes it.
# Files of /proc and /sys, whose sizes say nothing, are read to their end.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

[ -c /dev/null ] || skip "no /dev/null character device"

printf 'important\n' >f
ucp_try /dev/null f
expect_ok
[ -f f ] && [ ! -s f ] || fail "ucp /dev/null f did not leave an empty regular file: $(stat -c %F f)"
ucp_try /dev/null new
expect_ok
[ -f new ] && [ ! -s new ] || fail "ucp /dev/null new did not make an empty regular file"

# A FIFO: its writer waits for ucp to open it, ucp for the writer's end.
mkfifo fifo
head -c 300000 /dev/urandom >data
for engine in uring threads; do
	printf 'old\n' >"out.$engine"
	cat data >fifo &
	writer=$!
	ucp_try --engine="$engine" fifo "out.$engine"
	kill "$writer" 2>/dev/null || true
	wait "$writer" 2>/dev/null || true
	expect_ok
	[ -f "out.$engine" ] || fail "$engine: the FIFO's copy is not a regular file"
	cmp -s data "out.$engine" || fail "$engine: the FIFO's data differs"
done

# With -r the node itself is made.
ucp_try -r fifo fifo_copy
expect_ok
[ -p fifo_copy ] || fail "ucp -r did not make a FIFO"

# Files of /proc and /sys show sizes that say nothing of their contents
# (0, 4096): they are read to their end, as cp reads them, with no false
# "changed as we read it".
if [ -n "$(head -c 1 /proc/version 2>/dev/null)" ]; then
	for engine in uring threads; do
		ucp_try --engine="$engine" /proc/version "version.$engine"
		expect_ok
		# (cmp would take the size of 0 at its word: through a pipe.)
		cmp -s <(cat /proc/version) "version.$engine" ||
			fail "$engine: the copy of /proc/version differs ($(wc -c <"version.$engine") bytes)"
	done
else
	printf 'no /proc/version here: procfs case not run\n'
fi
sysf=/sys/kernel/mm/transparent_hugepage/enabled
if [ -r "$sysf" ]; then
	ucp_try "$sysf" thp
	expect_ok
	cmp -s <(cat "$sysf") thp || fail "the copy of $sysf differs"
fi
