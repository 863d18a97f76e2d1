#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Symlinks in a tree are copied as symlinks with the same target (dangling,
# absolute, to a directory); a symlink operand is followed without -r only.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/dir
printf 'target\n' >src/file
printf 'in dir\n' >src/dir/f
ln -s file src/rel
ln -s dir src/to_dir
ln -s ../file src/dir/up
ln -s /nonexistent/abs src/abs
ln -s nowhere src/dangling
ln -s loop src/loop

ucp_try -r src dst
expect_ok
cmp_trees src dst
[ -L dst/to_dir ] || fail "'dst/to_dir' should be a symlink"

ln -s src/file lnk
ucp_try lnk out
expect_rc 0 "symlink operand without -r"
[ ! -L out ] || fail "'out' should be a regular file"
assert_same_file src/file out

ucp_try -r lnk out_r
expect_rc 0 "symlink operand with -r"
[ -L out_r ] || fail "'out_r' should be a symlink"
[ "$(readlink out_r)" = src/file ] || fail "'out_r' points to '$(readlink out_r)'"
