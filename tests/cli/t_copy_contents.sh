#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --copy-contents: with -R, a FIFO in the tree is read as a file and its
# bytes copied into a regular file, as cp -R --copy-contents does (and as
# ucp without -R reads a FIFO operand); without it the FIFO is made anew.
# Not with --sync or --tar (usage errors). The writer opens the FIFO
# first and waits for the reader: no race.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src
printf 'file\n' >src/f
mkfifo src/p
timeout 60 sh -c 'printf "fifo data\n" >src/p' &
writer=$!
ucp_try -R --copy-contents src dst
expect_ok "-R --copy-contents"
wait "$writer" || fail "the writer did not finish"
[ -f dst/p ] && [ ! -p dst/p ] || fail "dst/p is a $(stat -c %F dst/p), not a file"
[ "$(cat dst/p)" = "fifo data" ] || fail "dst/p holds '$(cat dst/p)'"
[ "$(cat dst/f)" = file ] || fail "dst/f holds '$(cat dst/f)'"

ucp_try -R src plain
expect_ok "-R"
[ -p plain/p ] || fail "-R without --copy-contents: plain/p is a $(stat -c %F plain/p)"

expect_usage_error "ucp: --sync cannot be combined with -t, -T, --parents, -l, -s, --attributes-only or --copy-contents" \
	--sync --copy-contents src/ m
expect_usage_error "ucp: --copy-contents does not apply to --tar" \
	--tar --copy-contents src a.tar
