#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A file copied onto a destination operand that is a symlink is written
# through it (the symlink stays), a dangling one is refused (with
# --remove-destination or a backup the link itself is replaced), and a missing
# destination with a trailing slash is refused: each as cp does, compared
# with cp on the same fresh input (tree, stderr, exit status).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

# fresh DIR: a.txt, target, link -> target, dang -> nowhere.
fresh() {
	rm -rf "$1"
	mkdir "$1"
	printf 'new\n' >"$1/a.txt"
	printf 'old\n' >"$1/target"
	ln -s target "$1/link"
	ln -s nowhere "$1/dang"
}

# same_as_cp DST OPTION...: ucp and cp copy a.txt onto DST with OPTIONs
# in fresh trees; the trees, the messages and the statuses must agree.
same_as_cp() {
	local dst=$1 cprc=0 want
	shift
	fresh c
	fresh u
	(cd c && cp "$@" a.txt "$dst") 2>cp.err || cprc=$?
	cd u
	ucp_try "$@" a.txt "$dst"
	cd ..
	expect_rc "$cprc" "ucp $* a.txt $dst"
	want=$(sed 's/^cp: /ucp: /' cp.err)
	[ "$(cat "$T_ERR")" = "$want" ] || {
		show_last
		fail "ucp $* a.txt $dst: stderr is not cp's: $want"
	}
	[ "$(cd c && find . -printf '%p %y %l\n' | sort)" = "$(cd u && find . ! -name 'ucp.std*' -printf '%p %y %l\n' | sort)" ] ||
		fail "ucp $* a.txt $dst: tree differs from cp's"
	[ "$(cat c/target)" = "$(cat u/target)" ] || fail "ucp $* a.txt $dst: target differs"
}

T_OUT=$PWD/ucp.stdout T_ERR=$PWD/ucp.stderr
for opts in "" "-a" "-r" "-p"; do
	# shellcheck disable=SC2086 # options split on purpose
	same_as_cp link $opts
	[ "$(cat u/target)" = new ] || fail "ucp $opts: not written through the symlink"
	# shellcheck disable=SC2086
	same_as_cp dang $opts
	# shellcheck disable=SC2086
	same_as_cp nodir/ $opts
done
# --remove-destination and a backup replace (or back up) the link itself,
# dangling or not, and leave its target alone.
for opts in --remove-destination -b --backup=numbered; do
	same_as_cp link "$opts"
	[ "$(cat u/target)" = old ] || fail "ucp $opts: wrote through the symlink"
	same_as_cp dang "$opts"
done

# A link to the source itself is no copy of it to refuse when the link is
# what --remove-destination or a backup replaces (cp replaces it too).
for opts in --remove-destination -b; do
	rm -rf self
	mkdir self
	printf 'src\n' >self/f
	ln -s f self/l
	ucp_try "$opts" self/f self/l
	expect_ok
	[ -f self/l ] && [ ! -L self/l ] || fail "ucp $opts: the link to the source was not replaced"
	[ "$(cat self/l)" = src ] || fail "ucp $opts: the copy differs"
done
