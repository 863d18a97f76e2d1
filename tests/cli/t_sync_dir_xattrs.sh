#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A directory's attribute changed on the source is mirrored also when the
# run writes in that directory (its own writes move the mirror's change
# time, which must not hide the source's change): listed as x, as rsync
# -i lists it. And a first run killed before its directories got their
# attributes is finished by the next, attributes included; so is one whose
# attribute writes failed. Debug builds (the hook that stops the killed
# run, the fault hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null || skip "setfattr is not installed (attr)"
mkdir probe
setfattr -n user.p -v 1 probe 2>/dev/null || skip "this file system has no user attributes"

mkdir -p src/d
printf '1\n' >src/d/f
ucp_try --sync src dst
expect_ok
setfattr -n user.tag -v one src/d
printf '22\n' >src/d/f
setfattr -n user.top -v two src
printf 'n\n' >src/new
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_line ".d........x d/"
[ "$(getfattr --only-values -n user.tag dst/d 2>/dev/null)" = one ] ||
	fail "the directory's new attribute was not mirrored"
[ "$(getfattr --only-values -n user.top dst 2>/dev/null)" = two ] ||
	fail "the mirror root's new attribute was not mirrored"
# Removed too.
setfattr -x user.tag src/d
printf '333\n' >src/d/f
ucp_try --sync src dst
expect_ok
getfattr -d dst/d 2>/dev/null | grep -q user.tag && fail "a removed attribute stayed"
ucp_try --sync --itemize-changes src dst
expect_ok
expect_out_empty

# A first run killed part way: its directories' attributes come last.
need_hooks
mk_many big 600
for g in big/g*; do setfattr -n user.g -v "$(basename "$g")" "$g"; done
stop_run KILL 200 --sync big fresh
expect_rc 137 "after SIGKILL"
ucp_try --sync big fresh
expect_ok
for g in big/g*; do
	[ "$(getfattr --only-values -n user.g "fresh/${g#big/}" 2>/dev/null)" = "$(basename "$g")" ] ||
		fail "the resumed run left '${g#big/}' without its attribute"
done

# A run that could not write a directory's attributes (a fault) leaves its
# time unset: the next run writes the attributes too, not the time alone
# (it compared them only by change times, and they never came).
rm -rf xf xfd
mkdir -p xf/d
setfattr -n user.tag -v kept xf/d
UCP_FAULT=xattr:1:EIO ucp_try --sync xf xfd
expect_rc 1
ucp_try --sync --itemize-changes xf xfd
expect_ok
expect_out_line ".d..t.....x d/"
[ "$(getfattr --only-values -n user.tag xfd/d 2>/dev/null)" = kept ] ||
	fail "the attribute a failed run could not write was not written by the next"
ucp_try --sync --itemize-changes xf xfd
expect_ok
expect_out_empty

# A directory the failed run did not write in keeps the source's time by
# itself: the run marks it (its time not the source's), else the next run
# saw nothing to do once the mode it did set moved the change time on.
rm -rf xf xfd
mkdir -p xf/d
ucp_try --sync xf xfd
expect_ok
chmod 0700 xf/d
setfattr -n user.tag -v late xf/d
UCP_FAULT=xattr:1:EIO ucp_try --sync xf xfd
expect_rc 1
[ "$(stat -c %Y.%y xf/d)" != "$(stat -c %Y.%y xfd/d)" ] ||
	fail "the directory a failed run left unfinished has the source's time"
ucp_try --sync --itemize-changes xf xfd
expect_ok
expect_out_line ".d..t.....x d/"
[ "$(getfattr --only-values -n user.tag xfd/d 2>/dev/null)" = late ] ||
	fail "the attribute of a directory the failed run did not write in was never written"
