#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -f, --remove-destination and --strip-trailing-slashes, each against cp on
# the same input: contents and modes of the replaced files, and the tree a
# trailing-slashed source gives.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/sub
printf 'new\n' >src/f
chmod 640 src/f
printf 'deep\n' >src/sub/g

# prepare DIR: a read-only destination file with another mode.
prepare() {
	rm -rf "$1"
	mkdir "$1"
	printf 'old\n' >"$1/f"
	chmod 604 "$1/f"
}

for opt in -f --remove-destination; do
	prepare got
	prepare want
	ucp_try "$opt" src/f got/f
	expect_ok
	cp "$opt" src/f want/f
	[ "$(cat got/f)" = "$(cat want/f)" ] || fail "$opt: contents differ from cp's"
	[ "$(stat -c %a got/f)" = "$(stat -c %a want/f)" ] ||
		fail "$opt: mode $(stat -c %a got/f), cp gives $(stat -c %a want/f)"
	assert_no_tmp got
done

ucp_try -r --strip-trailing-slashes src/ got2
expect_ok
cp -r --strip-trailing-slashes src/ want2
[ "$(cd got2 && find . | LC_ALL=C sort)" = "$(cd want2 && find . | LC_ALL=C sort)" ] ||
	fail "--strip-trailing-slashes: trees differ from cp's"
