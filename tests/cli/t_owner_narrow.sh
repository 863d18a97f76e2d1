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
printf 'small\n' >src/small
chown 1234:2345 src/secret src/small
chmod 640 src/secret src/small
for how in "--preserve=ownership" "-a --no-preserve=mode"; do
	for over in new over; do
		rm -rf dst
		mkdir dst
		chown 65534:65534 dst
		chmod 2775 dst
		if [ $over = over ]; then
			printf 'old\n' >dst/secret
			printf 'old\n' >dst/small
			chmod 640 dst/secret dst/small
		fi
		UCP_CMD=()
		ucp_cmd
		# shellcheck disable=SC2086 # split on purpose
		# (UCP_FAULT: no file is taken for cached, so that the ring's
		# chain copies the small one in its modes.)
		UCP_TEST_STOP_BEFORE_DATA=1 UCP_FAULT=cached:1+:EAGAIN \
			"${UCP_CMD[@]}" $how src/secret src/small dst/ \
			>"$T_OUT" 2>"$T_ERR" &
		STOP_PID=$!
		wait_stopped "$STOP_PID"
		# Every file of dst (the copy, or its temporary) while written:
		# its owner's alone, or the source's owner and group already.
		while read -r m o f; do
			[ "$f" != dst/secret ] && [ "$f" != dst/small ] ||
				[ $over = new ] || continue
			[ $((0$m & 077)) = 0 ] || [ "$o" = 1234:2345 ] ||
				fail "$how ($over): $f is mode $m, $o, while written"
		done < <(find dst -type f -printf '%m %U:%G %p\n')
		stop_resume
		expect_ok "$how ($over)"
		cmp src/secret dst/secret || fail "$how ($over): the data"
		cmp src/small dst/small || fail "$how ($over): the small file's data"
		# (New: the source's mode, or the default one; over a file:
		# that file's, as cp writes into it.)
		want="640 1234:2345"
		[ "$how $over" != "-a --no-preserve=mode new" ] || want="644 1234:2345"
		for f in secret small; do
			[ "$(stat -c '%a %u:%g' dst/$f)" = "$want" ] ||
				fail "$how ($over): $f is $(stat -c '%a %u:%g' dst/$f), not $want"
		done
	done
done

# Into a tree the run makes (whose files the ring copies in one chain and
# gives their attributes by name after): the modes as with cp, the small
# file's too (it stayed its owner's alone, 0600).
for how in "--preserve=ownership -r" "-a --no-preserve=mode"; do
	rm -rf new
	# shellcheck disable=SC2086 # split on purpose
	UCP_FAULT=cached:1+:EAGAIN ucp_try $how src new
	expect_ok "$how into a new tree"
	want=640
	[ "$how" = "--preserve=ownership -r" ] || want=644
	for f in secret small; do
		[ "$(stat -c '%a %u:%g' new/$f)" = "$want 1234:2345" ] ||
			fail "$how into a new tree: $f is $(stat -c '%a %u:%g' new/$f)"
	done
done
