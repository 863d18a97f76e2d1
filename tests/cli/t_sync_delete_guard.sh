#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --sync --delete: the deletion pass opens the mirror's root by its name
# after the copy; a symbolic link to elsewhere put in its place meanwhile
# (by a user who may write its parent) is refused, and nothing outside is
# deleted. A signal during the deletions stops them: what was not yet
# deleted stays, as with rsync. A test hook stops ucp in the pass. Debug
# builds.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
# start_stopped N ARG...: ucp ARG... in the background, stopped before
# deletion number N (0: before it opens the mirror).
start_stopped() {
	local n=$1
	local -a UCP_CMD
	shift
	ucp_cmd
	UCP_TEST_STOP_DELETE=$n env --default-signal=INT,TERM,HUP,QUIT \
		"${UCP_CMD[@]}" "$@" >"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
}

mkdir -p src shared victim
printf 'a\n' >src/a
printf 'precious\n' >victim/precious
mkdir shared/mirror
printf 'junk\n' >shared/mirror/precious
start_stopped 0 --sync --delete src shared/mirror
mv shared/mirror shared/m.old
ln -s "$PWD/victim" shared/mirror
stop_resume
expect_rc 1
[ -f victim/precious ] || fail "the deletion pass deleted outside the mirror"
expect_err_line "ucp: cannot open directory 'shared/mirror': replaced during the run; nothing deleted"

# SIGTERM between two deletions: no more goes.
rm -rf src dst
mkdir -p src dst
for d in 1 2 3 4 5 6; do
	mkdir "dst/d$d"
	printf 'x\n' >"dst/d$d/f"
done
start_stopped 2 --sync --delete src dst
kill -s TERM "$STOP_PID"
stop_resume
[ "$RC" -ne 0 ] || fail "the interrupted run exited 0"
left=$(find dst -mindepth 1 -maxdepth 1 | wc -l)
[ "$left" -ge 4 ] || fail "SIGTERM did not stop the deletions: $left of 6 left"

# -x: what is on another file system mounted in the mirror stays, as with
# rsync -x: in a directory the source has, and below one it lacks.
[ "$(id -u)" = 0 ] || exit 0
rm -rf src m
mkdir -p src/data m/data m/extra/mnt
printf '1\n' >src/data/a
mount -t tmpfs tmpfs m/data 2>/dev/null || { printf 'cannot mount a tmpfs: the -x part not run\n'; exit 0; }
trap 'umount m/data m/extra/mnt 2>/dev/null || true' EXIT
mount -t tmpfs tmpfs m/extra/mnt
printf 'p\n' >m/data/p
printf 'q\n' >m/extra/mnt/q
printf 'r\n' >m/extra/r
ucp_try --sync --delete -x --itemize-changes src m
expect_ok
[ -f m/data/p ] && [ -f m/extra/mnt/q ] || fail "-x: --delete went into another file system"
[ ! -e m/extra/r ] || fail "-x: m/extra/r, on the mirror's file system, stayed"
expect_out_line "cannot delete non-empty directory: extra"
