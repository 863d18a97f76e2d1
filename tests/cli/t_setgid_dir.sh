#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Into a set-group-ID directory, the kernel gives a new entry the
# directory's group. -a, --sync and --untar -p keep the source's group
# even where it is the running user's own (the case where no chown seems
# needed), as cp -a, rsync -a and tar -xp do: a set-group-ID program must
# not become set-group-ID to the directory's group. Root.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the files must be root's and the directory another group's"
mkdir -p s/sub
printf 'a\n' >s/f
printf 'b\n' >s/sub/g
printf 'p\n' >s/prog
chown -R 0:0 s
chmod 2755 s/prog
mkdir sg
chgrp 4 sg
chmod 2775 sg
ucp_try --tar s s.tar
expect_ok
for how in "--engine=uring -a s sg/u" "--engine=threads -a s sg/t" \
	"--sync s sg/y" "--untar -p s.tar sg/x"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $how
	expect_ok
	d=${how##* }
	[ -d "$d/s" ] && d=$d/s
	for f in f prog sub sub/g; do
		g=$(stat -c %g "$d/$f")
		[ "$g" = 0 ] || fail "ucp $how: $f got group $g, not the source's 0"
	done
	[ "$(stat -c %a "$d/prog")" = 2755 ] || fail "ucp $how: prog is $(stat -c %a "$d/prog")"
done

# The directories' own set-group-ID bit: cp -a leaves the one a new
# directory took from its parent (the tree goes on passing the group on),
# and the one a directory merged into had; a mirror gets the source's
# mode, as rsync -a gives it.
chmod 755 s s/sub
mkdir -p sg/m/s/sub
chmod 2775 sg/m/s/sub
chmod 755 sg/m/s
chmod g-s sg/m/s
for how in "--engine=uring -a s sg/u2" "--engine=threads -p -r s sg/t2" \
	"-a s sg/m"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $how
	expect_ok
	d=${how##* }
	[ -d "$d/s" ] && d=$d/s
	want=2755
	[ "$d" = sg/m/s ] && want=755
	[ "$(stat -c %a "$d")" = $want ] || fail "ucp $how: the top directory is $(stat -c %a "$d"), not $want"
	[ "$(stat -c %a "$d/sub")" = 2755 ] || fail "ucp $how: sub is $(stat -c %a "$d/sub"), not 2755 as cp -a leaves it"
done
ucp_try --sync s sg/y2
expect_ok
for f in sg/y2 sg/y2/sub; do
	[ "$(stat -c %a "$f")" = 755 ] || fail "--sync: $f is $(stat -c %a "$f"), not the source's 755"
done
