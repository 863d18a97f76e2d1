#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A later name of a hard-link group is linked to the group's copy through
# the destination's directories without following a symbolic link below
# the destination root: someone who may write the destination and puts a
# link to another directory in the copy's path meanwhile (here: after the
# first file, the copy stopped by a test hook) gets no file outside the
# destination linked in under the new name. Before, the path was followed:
# the new name became a link to the outside file. Also: a group whose
# copy's path is longer than PATH_MAX is linked (it failed, "File name too
# long", and --sync then never deleted).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

mkdir -p src/a src/b outside/a
printf 'secret\n' >outside/a/f
printf 'data\n' >src/a/f
ln src/a/f src/b/f

stop_start 1 -a -j 1 -T src dst
if [ -e dst/a/f ]; then
	mv dst/a dst/a.real
	ln -s "$PWD/outside/a" dst/a
	swapped=a
else
	# The name in b came first: the group's copy is dst/b/f.
	mv dst/b dst/b.real
	ln -s "$PWD/outside/a" dst/b
	swapped=b
fi
stop_resume
other=$([ "$swapped" = a ] && echo b || echo a)
expect_rc 1
expect_err_has "cannot create hard link"
if [ -e "dst/$other/f" ]; then
	[ "$(stat -c %i "dst/$other/f")" != "$(stat -c %i outside/a/f)" ] ||
		fail "dst/$other/f was linked to a file outside the destination"
fi
[ "$(stat -c %h outside/a/f)" = 1 ] || fail "outside/a/f got another name"

# Deeper than PATH_MAX: both names of the group, one inode.
rm -rf deep deepdst
mkdir deep
(
	cd deep
	n=$(printf 'd%.0s' $(seq 200))
	for _ in $(seq 25); do
		mkdir "$n"
		cd "$n"
	done
	printf 'deep\n' >f
	ln f g
)
ucp_try -a deep deepdst
expect_ok
ucp_try --sync deep deepmirror
expect_ok
for t in deepdst deepmirror; do
	(
		cd "$t"
		for _ in $(seq 25); do cd d*; done
		[ "$(stat -c %i f)" = "$(stat -c %i g)" ] || exit 1
	) || fail "$t: the deep hard-link group was split or not made"
done
