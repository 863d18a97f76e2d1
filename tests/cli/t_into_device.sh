#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A device or FIFO already at the destination is written into, as cp does
# (ucp f /dev/null, an image onto a disk, a FIFO a reader waits on), also
# through a symlink operand (/dev/stdout to a pipe) and inside a tree with
# -r; it keeps its own mode and times, even with -a. --remove-destination
# replaces it, as cp does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "mknod needs root"
head -c 300000 /dev/urandom >src
printf 'small\n' >small

# A null device: the data goes in and nothing is replaced.
mknod null c 1 3
chmod 666 null
touch -d '2001-01-01' null
want=$(stat -c '%F %t:%T %a %Y' null)
for opts in "" "-a" "-p"; do
	# (word splitting of $opts is meant)
	# shellcheck disable=SC2086
	ucp_try $opts src null
	expect_ok
	[ "$(stat -c '%F %t:%T %a %Y' null)" = "$want" ] ||
		fail "ucp $opts src null left: $(stat -c '%F %t:%T %a %Y' null)"
done
assert_no_tmp .
# --reflink=always cannot clone into a device: an error, as cp's, and the
# device stays.
ucp_try --reflink=always src null
expect_rc 1
# (EXDEV or EINVAL, as the kernel's file systems say.)
grep -q "^ucp: cannot clone 'null': " "$T_ERR" || fail "no clone error: $(cat "$T_ERR")"
[ "$(stat -c '%F %t:%T %a %Y' null)" = "$want" ] || fail "--reflink=always replaced the device"

# Through a symlink to it, and through /proc/self/fd/1 to a pipe.
mknod null2 c 1 3
ln -s null2 to_null
ucp_try src to_null
expect_ok
[ -L to_null ] && [ -c null2 ] || fail "the symlink or its device was replaced"
ln -s /proc/self/fd/1 to_stdout
RC=0
run_ucp src to_stdout | cmp - src || RC=$?
[ "$RC" = 0 ] || fail "the copy through /proc/self/fd/1 into a pipe differs"
[ -L to_stdout ] || fail "to_stdout was replaced"

# A FIFO with a reader.
mkfifo fifo
cat fifo >from_fifo &
reader=$!
ucp_try src fifo
expect_ok
wait "$reader"
cmp src from_fifo || fail "the FIFO's reader got other data"
[ -p fifo ] || fail "the FIFO was replaced"

# Inside a tree, as cp -r does.
mkdir -p tree_src/d tree_dst/d
cp small tree_src/d/f
mknod tree_dst/d/f c 1 3
ucp_try -r tree_src/. tree_dst
expect_ok
[ -c tree_dst/d/f ] || fail "-r replaced the device in the tree"

# --remove-destination replaces it, as with cp.
mknod gone c 1 3
ucp_try --remove-destination small gone
expect_ok
[ -f gone ] && cmp small gone || fail "--remove-destination did not replace the device"

# A block device (a loop device's node), where the machine has one.
if command -v losetup >/dev/null && truncate -s 1M img &&
	loop=$(losetup -f --show img 2>/dev/null); then
	mknod blk b "$((16#$(stat -c %t "$loop")))" "$((16#$(stat -c %T "$loop")))"
	head -c 8192 /dev/urandom >data
	ucp_try data blk
	losetup -d "$loop"
	expect_ok
	[ -b blk ] || fail "the block device node was replaced"
	cmp <(head -c 8192 img) data || fail "the block device did not get the data"
else
	printf 'no loop device here: the block device case was not run\n'
fi

# A pipe as the source, onto a symlink to a pipe: written into it, the
# link kept.
ln -s /proc/self/fd/1 to_stdout2
RC=0
got=$(run_ucp <(printf 'from a pipe\n') to_stdout2 | cat) || RC=$?
[ "$RC" = 0 ] && [ "$got" = "from a pipe" ] || fail "a pipe source onto a link to a pipe: rc $RC, '$got'"
[ -L to_stdout2 ] || fail "to_stdout2 was replaced"

# A file of /proc/sys (whose directory takes no new name, and says ENOENT
# for one): written in place, as cp writes it. Its own value, unchanged.
if [ -w /proc/sys/vm/swappiness ]; then
	cat /proc/sys/vm/swappiness >swappiness
	ucp_try swappiness /proc/sys/vm/swappiness
	expect_ok
	[ "$(cat /proc/sys/vm/swappiness)" = "$(cat swappiness)" ] ||
		fail "/proc/sys/vm/swappiness changed"
fi
