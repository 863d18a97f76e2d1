#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A root's copy of a file whose ACL keeps a user out, into a directory that
# user may enter: while its data is written, the copy is its owner's alone,
# and takes its mode and ACL after (it was made with the source's mode bits
# and no ACL yet, which let that user read it then), in cp mode and into a
# mirror's temporary. Stopped before the data by the test hook, looked at
# as that user. Root (the files are to be others').
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the copy is a root's of another user's file"
need_hooks
unpriv_setup
need_acl_xattr
mkdir src dst
head -c $((2 << 20)) /dev/urandom >src/big
chmod 644 src/big
setfacl -m u:65534:--- src/big
chmod 755 src dst .
# what_user_reads FILE: "read" when the unprivileged user can read FILE.
what_user_reads() {
	if "${UNPRIV[@]}" cat -- "$1" >/dev/null 2>&1; then echo read; else echo denied; fi
}
# The file being written is the one under the destination whose inode was
# not there before the run (not told by its time: a copy made within the
# clock tick of the source's last write is no newer than it).
window() {
	local pid f before
	local -a UCP_CMD
	ucp_cmd
	before=$(find "${@: -1}" -type f -printf '%i\n' 2>/dev/null || true)
	UCP_TEST_STOP_BEFORE_DATA=1 env --default-signal=INT,TERM,HUP,QUIT \
		"${UCP_CMD[@]}" "$@" >"$T_OUT" 2>"$T_ERR" &
	pid=$!
	wait_stopped "$pid"
	f=$(find "${@: -1}" -type f -printf '%i %p\n' |
		OLD=$before awk 'BEGIN { n = split(ENVIRON["OLD"], a, "\n"); for (i = 1; i <= n; i++) seen[a[i]] = 1 }
			!($1 in seen) { print substr($0, length($1) + 2); exit }')
	[ -n "$f" ] || { kill -CONT "$pid"; fail "no file being written under ${*: -1}"; }
	got=$(what_user_reads "$f")
	kill -CONT "$pid"
	RC=0
	wait "$pid" || RC=$?
	expect_ok
	[ "$got" = denied ] || fail "ucp $*: the user the ACL keeps out read $f while it was written"
}
window -a src/big dst/
[ "$(what_user_reads dst/big)" = denied ] || fail "the copy's ACL is not the source's"
[ "$(stat -c %a dst/big)" = 644 ] || fail "the copy's mode is $(stat -c %a dst/big), not 644"
# A mirror: the changed file's temporary beside its old copy.
ucp_try --sync src m
expect_ok
head -c $((2 << 20)) /dev/urandom >src/big
setfacl -m u:65534:--- src/big
window --sync src m
[ "$(what_user_reads m/big)" = denied ] && cmp -s src/big m/big || fail "the mirror's copy is not the source's"
