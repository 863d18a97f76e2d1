#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As root, --sync repairs the owner and group of entries of the mirror that
# someone else owns, also when the source belongs to root itself (the user
# running ucp), and the next run finds nothing to change, as rsync -a does;
# -a into an existing tree does the same for its directories, as cp -a.
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
