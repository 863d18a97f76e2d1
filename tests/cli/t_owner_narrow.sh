#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Root keeping the owner but not the mode (--preserve=ownership, -a
# --no-preserve=mode) makes each file its owner's alone until it has the
# source's owner and group, then gives it its mode, as cp does (0600,
# chown, chmod): made with its final mode (0640) and the group of a
# user's set-group-ID directory, root's file could be opened by that group
# while it was written, and read after. New files and files replaced. The
# run stops itself before the data (test hook) and the mode is looked at.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the files must be another user's"
need_hooks
mkdir src
head -c 3000000 /dev/urandom >src/secret
chown 1234:2345 src/secret
chmod 640 src/secret
for how in "--preserve=ownership" "-a --no-preserve=mode"; do
	for over in new over; do
		rm -rf dst
		mkdir dst
		chown 65534:65534 dst
		chmod 2775 dst
		if [ $over = over ]; then
			printf 'old\n' >dst/secret
			chmod 640 dst/secret
		fi
		UCP_CMD=()
		ucp_cmd
		# shellcheck disable=SC2086 # split on purpose
		UCP_TEST_STOP_BEFORE_DATA=1 "${UCP_CMD[@]}" $how src/secret dst/ \
			>"$T_OUT" 2>"$T_ERR" &
		STOP_PID=$!
		wait_stopped "$STOP_PID"
		# Every file of dst (the copy, or its temporary) while written:
		# its owner's alone, or the source's owner and group already.
		while read -r m o f; do
			[ "$f" != dst/secret ] || [ $over = new ] || continue
			[ $((0$m & 077)) = 0 ] || [ "$o" = 1234:2345 ] ||
				fail "$how ($over): $f is mode $m, $o, while written"
		done < <(find dst -type f -printf '%m %U:%G %p\n')
		stop_resume
		expect_ok "$how ($over)"
		cmp src/secret dst/secret || fail "$how ($over): the data"
		# (New: the source's mode, or the default one; over a file:
		# that file's, as cp writes into it.)
		want="640 1234:2345"
		[ "$how $over" != "-a --no-preserve=mode new" ] || want="644 1234:2345"
		[ "$(stat -c '%a %u:%g' dst/secret)" = "$want" ] ||
			fail "$how ($over): $(stat -c '%a %u:%g' dst/secret), not $want"
	done
done
