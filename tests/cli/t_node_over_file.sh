#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A symlink, FIFO or device recreated where a file is: cp unlinks the file
# first only where it follows no link (-P, -d, -a, -R without -L, or with
# -H inside a tree, where -H follows none) and makes a whole copy. Under
# -L, -H for an operand, -l and --attributes-only the name is taken ("File
# exists", exit 1) and the file keeps its data, as with cp;
# without -R, --attributes-only gives a file the attributes of a FIFO or
# device, and -l links the node itself: neither makes a node over a file.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkfifo p
ln -s p lp
ln -s nowhere dang
# kept FILE WHAT: FILE is still the regular file holding "keep".
kept() {
	[ -f "$1" ] && [ ! -L "$1" ] && [ "$(cat "$1")" = keep ] ||
		fail "$2: '$1' lost its data: $(stat -c %F "$1")"
}
# taken WHAT ARG...: ucp ARG... into T, a file there, fails and keeps it.
taken() {
	local what=$1
	shift
	echo keep >T
	ucp_try "$@" T
	expect_rc 1 "$what"
	expect_err_has "'T': File exists"
	kept T "$what"
}
taken "-rL, a FIFO" -rL p
taken "-rH, a FIFO operand" -rH p
taken "-r -L, a link to a FIFO" -r -L lp
taken "-l, a FIFO" -l p
taken "-l, a device" -l /dev/null
taken "-rl, a link" -rl lp
taken "-rl, a dangling link" -rl dang
taken "-r --attributes-only, a FIFO" -r --attributes-only p

# Inside a tree, likewise.
mkdir -p s d/s
mkfifo s/p
ln -s x s/l
for how in "-rL" "-r --attributes-only" "-a --attributes-only" "-rl"; do
	echo keep >d/s/p
	echo keep >d/s/l
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $how s d
	expect_rc 1 "ucp $how s d"
	kept d/s/p "ucp $how"
	[ "$how" = -rL ] || kept d/s/l "ucp $how"
done

# --attributes-only without -R: a file's attributes from a FIFO or device,
# never the node itself.
echo keep >T
ucp_try --attributes-only /dev/null T
expect_ok "--attributes-only from a device over a file"
kept T "--attributes-only from a device"
rm -f new new2
ucp_try --attributes-only /dev/null new
expect_ok "--attributes-only from a device"
[ -f new ] && [ ! -s new ] || fail "--attributes-only from a device made a $(stat -c %F new)"
ucp_try --attributes-only p new2
expect_ok "--attributes-only from a FIFO"
[ -f new2 ] && [ ! -s new2 ] || fail "--attributes-only from a FIFO made a $(stat -c %F new2)"
# -l links the FIFO itself.
rm -f lnk
ucp_try -l p lnk
expect_ok "-l of a FIFO"
[ "$(stat -c %i lnk)" = "$(stat -c %i p)" ] || fail "-l did not link the FIFO"

# Inside a tree -H follows no link: the file there goes, as cp -RH
# unlinks it (it was taken, "File exists").
for n in p l; do
	echo keep >d/s/$n
done
ucp_try -rH s d
expect_ok "ucp -rH s d"
[ -p d/s/p ] || fail "-rH: d/s/p is a $(stat -c %F d/s/p), not the FIFO"
[ "$(readlink d/s/l)" = x ] || fail "-rH: d/s/l is not the link"

# Where no link is followed, the file goes, as with cp -r and -a; and
# --remove-destination replaces it under -L too.
for how in "-r" "-a" "-rL --remove-destination"; do
	echo keep >T
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $how p T
	expect_ok "ucp $how p T"
	[ -p T ] || fail "ucp $how p T: T is a $(stat -c %F T), not the FIFO"
	rm T
done
