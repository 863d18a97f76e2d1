#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync with the ring engine, files replaced while it copies (an atomic
# save: a new file renamed over the old one) by files that have attributes:
# each copy is one file's, never the old data with the new file's
# attributes (read by name after the ring had closed its descriptor: it
# was so, exit 0). Such a file is skipped as replaced, exit 24, and keeps
# its earlier copy; a later run copies the new one.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
command -v setfattr >/dev/null && command -v getfattr >/dev/null ||
	skip "setfattr or getfattr is not installed (attr)"
mkdir s
printf 'probe\n' >probe
setfattr -n user.p -v 1 probe 2>/dev/null || skip "this file system has no user attributes"
for i in $(seq 20); do printf '%s\n' "$i" >"s/f$i"; done
ucp_try --sync s d
expect_ok
for i in $(seq 20); do printf 'second %s\n' "$i" >"s/f$i"; done
# synced_while FN: --sync of s into d by the ring, stopped once 2 files
# are done while FN changes s, then on; RC gets its status.
synced_while() {
	local pid
	local -a UCP_CMD
	ucp_cmd
	UCP_TEST_STOP_AFTER=2 env --default-signal=INT,TERM,HUP,QUIT \
		"${UCP_CMD[@]}" --engine=uring --sync -j1 s d >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	wait_stopped "$pid"
	"$1"
	kill -s CONT "$pid"
	RC=0
	wait "$pid" || RC=$?
}
saved_over() {
	for i in $(seq 20); do
		printf 'saved %s\n' "$i" >"s/n$i"
		setfattr -n user.saved -v "$i" "s/n$i"
		mv "s/n$i" "s/f$i"
	done
}
synced_while saved_over
if grep -q 'io_uring engine unavailable' "$T_ERR"; then
	skip "io_uring cannot be used here: $(head -n 1 "$T_ERR")"
fi
expect_rc 24 "files replaced while copied"
expect_err_has "as it was replaced while being copied"
for i in $(seq 20); do
	data=$(cat "d/f$i")
	attr=$(getfattr --only-values -n user.saved "d/f$i" 2>/dev/null || true)
	case $data in
	"saved $i") [ "$attr" = "$i" ] || fail "d/f$i: the saved file's data without its attribute" ;;
	*) [ -z "$attr" ] || fail "d/f$i: '$data' with the saved file's attribute user.saved=$attr" ;;
	esac
done
# The next run copies the saved files, whole.
ucp_try --sync s d
expect_ok
for i in $(seq 20); do
	[ "$(cat "d/f$i")" = "saved $i" ] &&
		[ "$(getfattr --only-values -n user.saved "d/f$i")" = "$i" ] ||
		fail "d/f$i is not the saved file after the run again"
done

# Files renamed away (vanished) while the ring copies them: none is left
# as a copy without its attributes (its owner root's, where the source's
# was another's: it was, with "cannot preserve extended attributes");
# each is its earlier copy or the whole new one, and the run says they
# vanished, exit 24.
if [ "$(id -u)" = 0 ]; then
	rm -rf s d
	mkdir s
	for i in $(seq 20); do printf '%s\n' "$i" >"s/f$i"; done
	# (Root's directory: the ring's copies take their attributes by
	# name, after the data.)
	chown 65534:65534 s/f*
	ucp_try --sync s d
	expect_ok
	for i in $(seq 20); do printf 'second %s\n' "$i" >"s/f$i"; done
	renamed_away() { for i in $(seq 20); do mv "s/f$i" "s/gone$i"; done; }
	synced_while renamed_away
	expect_rc 24 "files renamed away while copied"
	for i in $(seq 20); do
		[ -e "d/f$i" ] || continue
		[ "$(stat -c %u "d/f$i")" = 65534 ] ||
			fail "d/f$i is left $(stat -c %U "d/f$i")'s: '$(cat "d/f$i")'"
	done
	! grep -q 'cannot preserve extended attributes' "$T_ERR" ||
		fail "a vanished file was said as an attribute failure"
fi
