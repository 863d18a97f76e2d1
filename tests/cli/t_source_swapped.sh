#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A source name that is another file when the ring's job opens it than
# when its statx looked (someone who may write the source directory
# swapped two files): the file is skipped, as cp does ("replaced while
# being copied"), exit 1. Before, the copy got one file's data with the
# other's owner and mode: a 0600 secret came out 0644, another user's data
# set-group-ID and root's. The job stops just before its open
# (UCP_TEST_STOP_OPEN), the names are swapped, and it goes on. Also with
# -a, whose copy gets its owner and mode through its descriptor where the
# destination is not only the run's user's.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

# A directory others may write (a shared one): in one only the run's user
# may change, the ring opens the source by name, as before.
mkdir src
chmod 0777 src
printf 'SECRET\n' >src/secret
chmod 0600 src/secret
printf 'public data\n' >src/public
chmod 2755 src/public

# ring_run ARG...: ucp --engine=uring ARG..., stopped before its first
# open, the two names swapped, then on to its end; RC gets its status.
ring_run() {
	local -a UCP_CMD
	ucp_cmd
	UCP_TEST_STOP_OPEN=1 "${UCP_CMD[@]}" --engine=uring -j 1 "$@" \
		>"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	ring_stopped "$STOP_PID"
	mv src/secret src/tmp
	mv src/public src/secret
	mv src/tmp src/public
	stop_resume
}

for opt in -r -a; do
	rm -rf dst
	ring_run "$opt" src dst
	expect_rc 1 "$opt"
	expect_err_has "as it was replaced while being copied"
	# Every copy made holds the data and the mode of one file.
	for n in secret public; do
		[ -e "dst/$n" ] || continue
		cmp "src/$n" "dst/$n" || fail "$opt: dst/$n: another file's data"
		want=$((0$(stat -c %a "src/$n")))
		[ "$opt" = -a ] || want=$((want & 0777 & ~0$(umask)))
		assert_mode "dst/$n" "$(printf '%o' "$want")"
	done
	# The file whose statx came before the swap is the one skipped.
	[ "$(find dst -type f | wc -l)" -lt 2 ] || fail "$opt: nothing was skipped"
	# Put the names back for the next round.
	mv src/secret src/tmp
	mv src/public src/secret
	mv src/tmp src/public
done
