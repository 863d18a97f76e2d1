#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: archive
# --untar into a DIRECTORY it makes opens the directory it made: a
# symbolic link put in its name right after the mkdir (by a user who may
# write its parent) is not followed, and another directory put there is
# no longer taken for the run's own, so the archive's "." does not give
# it its owner and mode. Root's extraction followed the link, gave a
# directory outside the archive's owner and mode 0777, and wrote the
# members into it. The run stops itself after the mkdir (test hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the archive's owner must be another user"
need_hooks
mkdir src outside
printf 'job\n' >src/job
chown -R 1234:1234 src
chmod 777 src
tar -C src -cf a.tar .
chmod 755 outside
for swap in link dir; do
	rm -rf into outside/* other
	mkdir into
	UCP_CMD=()
	ucp_cmd
	UCP_TEST_STOP_AT=mkdir "${UCP_CMD[@]}" --untar a.tar into/new \
		>"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	rmdir into/new
	if [ $swap = link ]; then
		ln -s ../outside into/new
	else
		mkdir other
		chown 65534:65534 other
		chmod 755 other
		mv other into/new
	fi
	stop_resume
	if [ $swap = link ]; then
		[ "$RC" != 0 ] || fail "a symbolic link swapped in: exit 0"
		[ "$(stat -c '%a %u' outside)" = "755 0" ] ||
			fail "the directory outside became $(stat -c '%a %u' outside)"
		[ -z "$(ls -A outside)" ] || fail "members were written outside: $(ls -A outside)"
	else
		expect_ok "another directory swapped in"
		[ "$(stat -c '%a %u' into/new)" = "755 65534" ] ||
			fail "the directory swapped in became $(stat -c '%a %u' into/new)"
		cmp src/job into/new/job || fail "the member in the directory swapped in"
	fi
done
