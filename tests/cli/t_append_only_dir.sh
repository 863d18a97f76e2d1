#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# Replacing a file in an append-only directory (chattr +a: names are made,
# none renamed over or removed): it is rewritten in place, as cp writes
# it, where a temporary was made that could be neither renamed over it
# nor removed (exit 1, the temporary left for good). What cannot be
# rewritten in place is refused without a temporary. Root.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "chattr +a needs root"
command -v chattr >/dev/null || skip "chattr is not installed (e2fsprogs)"
printf 'new\n' >f
mkdir u v src
printf 'old\n' >u/x
ln -s target src/l
mkfifo src/p
ln -s old v/l
mkfifo v/p
printf 'old\n' >v/f
chattr +a u 2>/dev/null || skip "this file system has no append-only directories"
chattr +a v
trap 'chattr -a u v 2>/dev/null || true' EXIT
for opt in "" -p; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $opt f u/x
	expect_ok
	[ "$(cat u/x)" = new ] || fail "ucp $opt: u/x was not replaced"
	[ "$(ls -A u)" = x ] || fail "ucp $opt left: $(ls -A u)"
	printf 'old\n' >>u/x
done

# What cannot be rewritten in place (a symbolic link, a FIFO, a hard link
# with -lf) is not replaced, as cp cannot, and no temporary is left (one
# was, for good).
ucp_try -a src/. v
expect_rc 1
expect_err_has "ucp: cannot create symbolic link 'v/./l': Operation not permitted"
expect_err_has "ucp: cannot create special file 'v/./p': Operation not permitted"
[ "$(readlink v/l)" = old ] || fail "v/l changed"
ucp_try -lf f v/f
expect_rc 1
expect_err_line "ucp: cannot create hard link 'v/f': Operation not permitted"
[ "$(cat v/f)" = old ] || fail "v/f changed"
[ "$(ls -A v | LC_ALL=C sort | tr '\n' ' ')" = "f l p " ] || fail "left in v: $(ls -A v)"

# --sync over a changed file there: not replaced (the rename's error), and
# no temporary left (one stayed for good); --inplace rewrites it.
mkdir -p ms
printf 'one\n' >ms/f
chattr -a v
rm -rf v
ucp_try --sync ms v
expect_ok
chattr +a v
printf 'two\n' >ms/f
for engine in "" --engine=threads; do
	# shellcheck disable=SC2086 # empty: nothing
	ucp_try --sync $engine ms v
	expect_rc 1
	expect_err_line "ucp: cannot rename into 'v/f': Operation not permitted"
	[ "$(ls -A v)" = f ] || fail "--sync $engine left: $(ls -A v)"
done
ucp_try --sync --inplace ms v
expect_ok
[ "$(cat v/f)" = two ] || fail "--sync --inplace did not rewrite v/f"

# -a into an immutable directory that has the source's owner already: its
# times cannot be set, as cp says; no "cannot preserve ownership" of a
# chown that changes nothing (it was said).
mkdir -p im/s im/d
printf 'x\n' >im/s/f
ucp_try -a im/s/. im/d
expect_ok
chattr +i im/d
trap 'chattr -a u v 2>/dev/null || true; chattr -i im/d 2>/dev/null || true' EXIT
ucp_try -a im/s/. im/d
expect_rc 1 "-a into an immutable directory"
expect_err_has "cannot preserve times of 'im/d/.'"
expect_err_lacks "ownership"
chattr -i im/d
