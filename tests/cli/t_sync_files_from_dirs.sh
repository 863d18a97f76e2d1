#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --files-from with a directory listed as "dir/" or as ".": its entries are
# mirrored too, one level deep (subdirectories created, not filled), and
# --delete takes what its source lacks there; as rsync's --files-from,
# which implies --dirs. A directory listed without the slash is created
# alone. (Listed as "dir/", it was created empty, and "." copied nothing,
# both exit 0.)
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/dir/sub src/a
printf 'f\n' >src/dir/f
printf 'g\n' >src/dir/sub/g
printf 't\n' >src/top
printf 'x\n' >src/a/x

# mirror LIST: a mirror of src from LIST into d, which holds stale entries
# at the top, in dir and in dir/sub; prints what d holds then.
mirror() {
	rm -rf d
	mkdir -p d/dir/sub
	touch d/stale d/dir/old d/dir/sub/old
	printf '%s\n' "$1" >list
	ucp_try --sync --delete --files-from=list src d
	expect_ok
	(cd d && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
}

got=$(mirror 'dir/')
[ "$got" = "./dir ./dir/f ./dir/sub ./dir/sub/old ./stale " ] || fail "dir/: $got"
cmp src/dir/f d/dir/f || fail "dir/: dir/f differs"
got=$(mirror 'dir/.')
[ "$got" = "./dir ./dir/f ./dir/sub ./dir/sub/old ./stale " ] || fail "dir/.: $got"
got=$(mirror '.')
[ "$got" = "./a ./dir ./dir/old ./dir/sub ./dir/sub/old ./top " ] || fail ".: $got"
got=$(mirror 'dir')
[ "$got" = "./dir ./dir/old ./dir/sub ./dir/sub/old ./stale " ] || fail "dir: $got"
got=$(mirror 'a/x')
[ "$got" = "./a ./a/x ./dir ./dir/old ./dir/sub ./dir/sub/old ./stale " ] || fail "a/x: $got"
