#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -s makes symbolic links to the sources instead of copies, as cp -s:
# absolute sources anywhere, relative ones only into the current directory;
# with -r directories are created and every other entry becomes a link.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/sub dst
printf 'one\n' >src/f
printf 'two\n' >src/sub/g
ln -s f src/l
mkfifo src/p

# Relative source, link in the current directory.
ucp_try -s src/f here
expect_ok
[ "$(readlink here)" = src/f ] || fail "here -> $(readlink here), want src/f"

# Absolute source, link anywhere; an existing file is replaced when -f
# says so, as by cp -s (without it: "File exists", t_link_exists).
printf 'old\n' >dst/f
ucp_try -sf "$PWD/src/f" dst/f
expect_ok
[ "$(readlink dst/f)" = "$PWD/src/f" ] || fail "dst/f -> $(readlink dst/f)"

# Recursive: the same tree as cp -rs.
ucp_try -rs "$PWD/src" got
expect_ok
cp -rs "$PWD/src" want
for p in f l p sub/g; do
	[ -L "got/$p" ] || fail "got/$p is not a symlink"
	[ "$(readlink "got/$p")" = "$(readlink "want/$p" | sed "s|/want/|/got/|")" ] ||
		[ "$(readlink "got/$p")" = "$(readlink "want/$p")" ] ||
		fail "got/$p -> $(readlink "got/$p"), cp: $(readlink "want/$p")"
done
[ -d got/sub ] && [ ! -L got/sub ] || fail "got/sub is not a directory"

# Relative source into another directory: refused per file, like cp.
ucp_try -s src/f dst/g
expect_rc 1
expect_err_has "'dst/g': can make relative symbolic links only in current directory"
[ ! -e dst/g ] && [ ! -L dst/g ] || fail "dst/g was created"

# -s with -l is a usage error.
ucp_try -s -l src/f x
expect_rc 2
expect_err_has "cannot make both hard and symbolic links"

# A destination in the current directory named with a slash (., ./x, -t .,
# its absolute path): the relative link points at its source, as cp makes
# it; only another directory is refused.
rm -rf cwd_s
mkdir -p cwd_s/d cwd_s/e
printf 'f\n' >cwd_s/d/f
for dst in . ./x "$PWD/cwd_s/y"; do
	RC=0
	(cd cwd_s && run_ucp -s d/f "$dst") >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_ok
done
rm cwd_s/f
RC=0
(cd cwd_s && run_ucp -s -t . d/f) >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok
[ "$(readlink cwd_s/f)" = d/f ] && [ "$(readlink cwd_s/x)" = d/f ] &&
	[ "$(readlink cwd_s/y)" = d/f ] || fail "a relative link in the current directory was not made"
RC=0
(cd cwd_s && run_ucp -s d/f e/) >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 1 "a relative link into another directory"
expect_err_line "ucp: 'e/f': can make relative symbolic links only in current directory"
