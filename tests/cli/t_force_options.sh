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
# A symbolic link to a directory named "link/": with the option, the link
# itself, as cp copies it; without, the directory.
ln -s src srclink
mkdir got3 want3 got4
ucp_try -r --strip-trailing-slashes srclink/ got3
expect_ok
cp -r --strip-trailing-slashes srclink/ want3
[ -L got3/srclink ] && [ -L want3/srclink ] ||
	fail "--strip-trailing-slashes: 'srclink/' was not copied as the link, as cp does"
ucp_try -r srclink/ got4
expect_ok
[ -d got4/srclink ] && [ ! -L got4/srclink ] || fail "'srclink/' without the option is the directory"

# A destination with another hard link is rewritten in place, so that the
# link sees the new data, as cp does; when it cannot be opened (a running
# program: ETXTBSY), -f replaces it by a new file, parting the links, as
# cp -f does, and without -f it is an error, as in cp.
sleep_bin=$(command -v sleep)
for who in got want; do
	rm -rf "$who.busy"
	mkdir "$who.busy"
	cp "$sleep_bin" "$who.busy/prog"
	ln "$who.busy/prog" "$who.busy/link"
done
"$PWD/got.busy/prog" 60 &
p1=$!
"$PWD/want.busy/prog" 60 &
p2=$!
trap 'kill "$p1" "$p2" 2>/dev/null || true' EXIT
# (Busy once each runs it: wait for the exec, a known point.)
for p in $p1 $p2; do
	for _ in $(seq 100); do
		case $(readlink "/proc/$p/exe" 2>/dev/null) in
		*.busy/prog) break ;;
		esac
		sleep 0.05
	done
done
ucp_try src/f got.busy/prog
expect_rc 1 "a busy program with another link, without -f"
expect_err_line "ucp: cannot open 'got.busy/prog': Text file busy"
cmp -s got.busy/prog "$sleep_bin" || fail "without -f the busy program changed"
ucp_try -f src/f got.busy/prog
expect_ok
cp -f src/f want.busy/prog
kill "$p1" "$p2" 2>/dev/null || true
wait "$p1" "$p2" 2>/dev/null || true
for who in got want; do
	cmp -s src/f "$who.busy/prog" || fail "$who: -f did not replace the busy program"
	cmp -s "$sleep_bin" "$who.busy/link" || fail "$who: the other link lost its data"
done
assert_no_tmp got.busy
