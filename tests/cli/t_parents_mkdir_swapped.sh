#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --parents makes each directory of the source's path in the one made or
# found before, through its descriptor, and opens each without following
# a symbolic link: a directory it made, swapped for a link to a directory
# outside right after the mkdir (by a user who may write the target), does
# not lead the next directories or the copy there. Root's -a followed it,
# wrote the file outside and gave the directory outside the source's owner
# and mode 0777. The run stops itself after the first mkdir (test hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the source must be another user's"
need_hooks
mkdir -p src/etc/cron.d outside/etc/cron.d
printf 'job\n' >src/etc/cron.d/job
chown -R 1234:1234 src
chmod 777 src/etc/cron.d
chmod 755 outside/etc outside/etc/cron.d
for swap in link dir; do
	rm -rf restore restore.x outside/etc/cron.d/*
	mkdir restore
	chown 65534:65534 restore
	UCP_CMD=()
	ucp_cmd
	UCP_TEST_STOP_AT=mkdir "${UCP_CMD[@]}" -a --parents src/etc/cron.d restore \
		>"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	mv restore/src restore/src.made
	if [ $swap = link ]; then
		ln -s ../outside restore/src
	else
		mkdir -p restore/src/etc
		chown -R 65534:65534 restore/src
	fi
	stop_resume
	[ "$(stat -c '%a %u' outside/etc/cron.d)" = "755 0" ] ||
		fail "$swap: the directory outside became $(stat -c '%a %u' outside/etc/cron.d)"
	[ -z "$(ls -A outside/etc/cron.d)" ] ||
		fail "$swap: files were copied outside: $(ls -A outside/etc/cron.d)"
	if [ $swap = link ]; then
		expect_rc 1 "a directory made swapped for a link"
		expect_err_line "ucp: cannot create directory 'restore/src': a symbolic link is in its place: not followed"
	else
		# Another's directory in the name: copied into, not made its
		# source's (its owner stays).
		expect_ok "a directory made swapped for another's"
		cmp src/etc/cron.d/job restore/src/etc/cron.d/job || fail "the copy"
		[ "$(stat -c %u restore/src)" = 65534 ] ||
			fail "the directory swapped in was given owner $(stat -c %u restore/src)"
	fi
done
