#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# An owner that cannot be given (a test hook fails the chown, as a user
# namespace without the uid, or root on NFS with root_squash, does) is an
# error naming the copy, but the rest still follows, as in cp -a: the mode
# without set-id bits, and the times; so --sync's next run copies no data
# again, and --untar keeps the member it wrote. Root, debug builds.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "giving a file another owner needs root"
need_hooks
mkdir src
printf 'data\n' >src/f
chown 1234:1234 src/f
chmod 4755 src/f
touch -d '2020-01-02 03:04:05' src/f
ucp_try --tar src src.tar
expect_ok
for how in "-a src/f a" "--sync src s" "--untar src.tar x"; do
	# shellcheck disable=SC2086 # split on purpose
	UCP_FAULT=meta:1:EIO ucp_try $how
	expect_rc 1
	grep -q "^ucp: cannot preserve ownership of '.*': Input/output error" "$T_ERR" ||
		fail "$how: no ownership error: $(cat "$T_ERR")"
	case $how in
	-a*) f=a ;;
	--sync*) f=s/f ;;
	*) f=x/src/f ;;
	esac
	[ -f "$f" ] || fail "$how: the copy is gone"
	[ "$(cat "$f")" = data ] || fail "$how: the copy is not whole"
	[ "$(stat -c %Y "$f")" = "$(stat -c %Y src/f)" ] || fail "$how: the copy lost its time"
	[ "$(stat -c %a "$f")" = 755 ] || fail "$how: the copy is $(stat -c %a "$f"), not 755 (no set-uid bit)"
done
# The next --sync puts the owner right without copying the data again.
ino=$(stat -c %i s/f)
ucp_try --sync --itemize-changes src s
expect_ok
[ "$(stat -c %i s/f)" = "$ino" ] || fail "--sync copied the data again"
[ "$(stat -c %u:%a s/f)" = 1234:4755 ] || fail "--sync left s/f $(stat -c %u:%a s/f)"

# --untar as root keeps the archive's owners, unless told not to
# (--no-preserve=ownership, as tar --no-same-owner): then the members are
# root's, and no set-uid bit of another's stays (-a: the mode is kept).
for how in "" "-a"; do
	rm -rf n
	# shellcheck disable=SC2086 # split on purpose
	ucp_try --untar $how --no-preserve=ownership src.tar n
	expect_ok
	[ "$(stat -c %u:%g n/src/f)" = 0:0 ] ||
		fail "--untar $how --no-preserve=ownership: n/src/f is $(stat -c %u:%g n/src/f)"
done
