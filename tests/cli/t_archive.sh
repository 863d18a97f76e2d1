#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -a keeps hard-link groups (spread over directories, including hard-linked
# symlinks and FIFOs, and a group of 300 names copied by several workers),
# modes, owners and ns mtimes: the copy matches cp -a field by field.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/a/b src/c src/many
printf 'one\n' >src/a/f
ln src/a/f src/c/f_link
ln src/a/f src/a/b/f_again
head -c 300000 /dev/urandom >src/big
ln src/big src/c/big_link
ln -s a/f src/sym
ln src/sym src/c/sym_hard
mkfifo src/fifo
ln src/fifo src/c/fifo_hard
printf 'shared\n' >src/many/x0
for i in $(seq 1 299); do
	mkdir -p "src/many/d$((i % 17))"
	ln src/many/x0 "src/many/d$((i % 17))/x$i"
done
printf 'solo\n' >src/solo
chmod 640 src/a/f
chmod 2755 src/a
touch -d '2003-03-03 03:03:03.303030303 UTC' src/a/f src/solo
touch -h -d '1999-09-09 09:09:09.9 UTC' src/sym
if [ "$(id -u)" = 0 ]; then
	chown 1111:2222 src/solo src/a/f
fi

# Type, mode, owner, group, mtime (ns), size and link count of every entry,
# then the hard-link groups as sorted name lists.
describe() {
	(
		cd "$1"
		find . -printf '%p|%y|%m|%U|%G|%T@|%s|%n\n' | sort
		find . ! -type d -printf '%i %p\n' | sort -k1,1n -k2 |
			awk '$1 != last { if (g) print g; g = ""; last = $1 }
			     { g = g " " $2 } END { if (g) print g }' | sort
	)
}

ucp_try -a -j4 src dst
expect_ok
cp -a src ref
describe ref >want
describe dst >got
diff -u want got >&2 || fail "ucp -a differs from cp -a (- cp, + ucp)"
cmp src/big dst/c/big_link || fail "hard-linked big file content differs"

# Without links, every name is its own copy.
ucp_try -r src nolinks
expect_ok
[ "$(stat -c %h nolinks/a/f)" = 1 ] || fail "-r without -a kept a hard link"
