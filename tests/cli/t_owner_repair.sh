#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As root, --sync repairs the owner and group of entries of the mirror that
# someone else owns, also when the source belongs to root itself (the user
# running ucp), and the next run finds nothing to change, as rsync -a does;
# -a into an existing tree does the same for its directories, as cp -a;
# a file capability, which chown strips, is written again.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "changing owners needs root"
mkdir -p src/d
printf 'one\n' >src/f
printf 'two\n' >src/d/g
ln -s f src/link
ucp_try --sync src dst
expect_ok
# Someone else takes the mirror's entries.
chown -h 65534:65534 dst/f dst/d dst/d/g dst/link
ucp_try --sync --itemize-changes src dst
expect_ok
for p in f d d/g link; do
	[ "$(stat -c %u:%g "dst/$p")" = 0:0 ] ||
		{ show_last; fail "owner of dst/$p not repaired: $(stat -c %u:%g "dst/$p")"; }
done
expect_out_line ".f....og... f"
expect_mirror src dst
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_empty

# -a into an existing tree (cp mode): its directories get the source's
# owners too, as with cp -a.
mkdir -p into/src/d
chown -R 65534:65534 into
ucp_try -a src into/
expect_ok
for p in "" /d; do
	[ "$(stat -c %u:%g "into/src$p")" = 0:0 ] ||
		fail "-a left into/src$p owned by $(stat -c %u:%g "into/src$p")"
done

# chown strips a file capability: an owner or group put right in the
# mirror writes the capability again, and says so ('x'), as rsync -aX.
command -v setcap >/dev/null || skip "setcap not installed (package libcap2-bin)"
mkdir -p cap/src
printf 'prog\n' >cap/src/prog
chown 1000:1000 cap/src/prog
setcap cap_net_raw+ep cap/src/prog || skip "this file system holds no file capabilities"
want=$(getfattr -h --absolute-names -n security.capability -e hex cap/src/prog | grep =)
ucp_try --sync cap/src cap/dst
expect_ok
chown 2000:2000 cap/src/prog
setcap cap_net_raw+ep cap/src/prog
ucp_try --sync --itemize-changes cap/src cap/dst
expect_ok
expect_out_line ".f....og..x prog"
got=$(getfattr -h --absolute-names -n security.capability -e hex cap/dst/prog 2>/dev/null | grep =) ||
	fail "the owner's repair stripped the file capability of cap/dst/prog"
[ "$got" = "${want//src/dst}" ] || fail "capability of cap/dst/prog: $got"
chgrp 5 cap/dst/prog
ucp_try --sync --itemize-changes cap/src cap/dst
expect_ok
expect_out_line ".f.....g..x prog"
expect_mirror cap/src cap/dst
