#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A directory the run makes is opened by its name after the mkdir: another
# directory put in that name meanwhile (by a user who owns the parent) is
# not taken for the run's own, private one, so the files made in it are
# their owner's alone until their mode comes. It was, and root's -a made a
# root-only file (0640) there with its final mode and the group of the
# user's set-group-ID directory, which the user could open while it was
# written and read after. The run stops after the mkdir and before the
# data (test hooks).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the files must be other users'"
need_hooks
mkdir -p src/d dst
head -c 3000000 /dev/urandom >src/d/secret
chown 1234:2345 src/d/secret
chmod 640 src/d/secret
chown 65534:65534 dst
for how in "-aT" "--sync"; do
	rm -rf dst/*
	UCP_CMD=()
	ucp_cmd
	if [ "$how" = --sync ]; then
		set -- src/ dst
	else
		set -- src dst
	fi
	UCP_TEST_STOP_AT=mkdir UCP_TEST_STOP_BEFORE_DATA=1 \
		"${UCP_CMD[@]}" "$how" "$@" >"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	# The user's own directory, set-group-ID, in the name.
	mv dst/d dst/d.made
	mkdir dst/d
	chown 65534:65534 dst/d
	chmod 2777 dst/d
	kill -s CONT "$STOP_PID"
	wait_stopped "$STOP_PID"
	while read -r m o f; do
		[ $((0$m & 077)) = 0 ] || [ "$o" = 1234:2345 ] ||
			fail "$how: $f is mode $m, $o, while written"
	done < <(find dst/d -type f -printf '%m %U:%G %p\n')
	stop_resume
	expect_ok "$how, a directory swapped in"
	cmp src/d/secret dst/d/secret || fail "$how: the data"
	[ "$(stat -c '%a %u:%g' dst/d/secret)" = "640 1234:2345" ] ||
		fail "$how: $(stat -c '%a %u:%g' dst/d/secret)"
done

# The top of the copy, made by the run: a directory on its way swapped for
# a symbolic link to a directory outside after the mkdir is not followed
# (it was: the files went into the directory outside, which -a gave the
# source's owner and mode 0777), and the user's own directory put in its
# name is not taken for the run's.
mkdir -p home outside/new
chmod 755 outside/new
chmod 777 src/d
for swap in parent top; do
	rm -rf home home.x outside/new/*
	mkdir home
	chown 65534:65534 home
	UCP_CMD=()
	ucp_cmd
	UCP_TEST_STOP_AT=mkdir UCP_TEST_STOP_BEFORE_DATA=1 \
		"${UCP_CMD[@]}" -a src/d home/new >"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
	if [ $swap = parent ]; then
		mv home home.x
		ln -s outside home
	else
		mv home/new home/new.made
		mkdir home/new
		chown 65534:65534 home/new
		chmod 2777 home/new
	fi
	kill -s CONT "$STOP_PID"
	wait_stopped "$STOP_PID"
	if [ $swap = top ]; then
		while read -r m o f; do
			[ $((0$m & 077)) = 0 ] || [ "$o" = 1234:2345 ] ||
				fail "top swapped: $f is mode $m, $o, while written"
		done < <(find home/new -type f -printf '%m %U:%G %p\n')
	fi
	stop_resume
	[ "$(stat -c '%a %u' outside/new)" = "755 0" ] ||
		fail "$swap swapped: the directory outside became $(stat -c '%a %u' outside/new)"
	[ -z "$(ls -A outside/new)" ] ||
		fail "$swap swapped: files were copied outside: $(ls -A outside/new)"
	if [ $swap = parent ]; then
		expect_ok "a parent swapped for a link after the mkdir"
		rm home
		cmp src/d/secret home.x/new/secret || fail "parent swapped: the copy"
	else
		expect_ok "the top swapped for another directory"
		cmp src/d/secret home/new/secret || fail "top swapped: the copy"
	fi
done
