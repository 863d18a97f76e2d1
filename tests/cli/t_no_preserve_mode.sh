#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --no-preserve=mode gives new files and directories the default mode
# (0666 and 0777 less the umask), not the source's bits, as cp does; also
# after -a, to FIFOs and devices (they kept the source's bits), a
# directory keeping its sticky bit (it lost it), and for a file that
# replaces another. Compared with cp.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d src/big
printf 'x\n' >src/f
mk_file src/big/large $((3 << 20))
chmod 755 src/f
chmod 700 src/d
chmod 750 src/big
chmod 600 src/big/large
mkdir src/sticky src/both src/sgid
chmod 1770 src/sticky
chmod 3700 src/both
chmod 2750 src/sgid
mkfifo -m 600 src/fifo
if [ "$(id -u)" = 0 ]; then
	mknod -m 600 src/null c 1 3
fi

modes() {
	(cd "$1" && find . -printf '%p %m\n' | LC_ALL=C sort)
}

for opts in "-r --no-preserve=mode" "-a --no-preserve=mode"; do
	rm -rf c u
	# shellcheck disable=SC2086 # split on purpose
	cp $opts src c
	# shellcheck disable=SC2086
	ucp_try $opts src u
	expect_ok
	[ "$(modes c)" = "$(modes u)" ] || {
		diff <(modes c) <(modes u) >&2
		fail "ucp $opts: modes differ from cp's (< cp, > ucp)"
	}
done

# A file replacing another.
printf 'old\n' >u/f
chmod 600 u/f
ucp_try --no-preserve=mode --remove-destination src/f u/f
expect_ok
assert_mode u/f "$(mode_after_umask 666)"
