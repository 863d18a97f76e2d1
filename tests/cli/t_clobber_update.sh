#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -n keeps existing files; -u (= --update=older) replaces only files older
# than their source; --update=all and --update=none behave as cp's. Each
# result is compared with cp on the same input.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src
printf 'new-a\n' >src/a
printf 'new-b\n' >src/b
printf 'new-c\n' >src/c
touch -d '2020-01-01 00:00:00' src/a
touch -d '2020-01-01 00:00:00' src/b

# dst: a is older than its source, b newer, c missing.
prepare() {
	rm -rf "$1"
	mkdir "$1"
	printf 'old-a\n' >"$1/a"
	printf 'old-b\n' >"$1/b"
	touch -d '2019-01-01 00:00:00' "$1/a"
	touch -d '2021-01-01 00:00:00' "$1/b"
}

# check OPT CP_OPT: ucp with OPT gives what cp with CP_OPT gives (cp 9.1
# has no --update=WHEN; its -n, -u and plain copy stand in for them).
check() {
	prepare got
	prepare want
	ucp_try -r "$1" src/. got
	expect_ok
	# shellcheck disable=SC2086 # an empty CP_OPT vanishes
	cp -r $2 src/. want
	for f in a b c; do
		cmp -s "want/$f" "got/$f" ||
			fail "$1: '$f' is '$(cat "got/$f")', cp $2 gives '$(cat "want/$f")'"
	done
}

check -n -n
check -u -u
check --update -u
check --update=older -u
check --update=none -n
check --update=all ""
[ "$(cat got/b)" = new-b ] || fail "--update=all kept a newer file"

ucp_try -r --update=sometimes src got
expect_rc 2 "bad --update value"

# -n wins over -u and --update, before or after it, as in cp.
for opts in "-n -u" "-u -n" "-n --update=all" "--no-clobber --update"; do
	printf 'new\n' >nu_a
	printf 'old\n' >nu_b
	touch -d 2000-01-01 nu_b
	# shellcheck disable=SC2086 # (the options, split)
	ucp_try $opts nu_a nu_b
	expect_ok
	[ "$(cat nu_b)" = old ] || fail "'$opts' replaced the existing file"
done

# -n and -u keep what is there before looking at what it is, as cp does: a
# directory in the way of a file is kept quietly, exit 0 (without them,
# an error); and under -n a later operand of a name an earlier one made
# is kept from it quietly too.
mkdir -p in/g two/x two/y
printf 'g\n' >g
ucp_try -n g in/
expect_ok "-n, a directory in the way"
expect_err_empty
touch -d 2000-01-01 g
ucp_try -u g in/
expect_ok "-u, a newer directory in the way"
touch g
touch -d 2000-01-01 in/g
ucp_try -u g in/
expect_rc 1 "-u, an older directory in the way"
expect_err_line "ucp: cannot overwrite directory 'in/g' with non-directory 'g'"
printf 'x\n' >two/x/f
printf 'y\n' >two/y/f
mkdir two/dst
ucp_try -n two/x/f two/y/f two/dst
expect_ok "-n, two operands of one name"
expect_err_empty
[ "$(cat two/dst/f)" = x ] || fail "-n: the later operand replaced the earlier's copy"

# -u on a file system that keeps nanoseconds: a copy whose time has fewer
# digits (whole seconds, after tar -x of a ustar archive or touch -d) is
# older than a source changed later in that second, and replaced, as
# cp -u replaces it; one of the source's time to the nanosecond is kept.
touch -d @1000000000.5 probe
if [ "$(stat -c %y probe)" = "$(date -d @1000000000.5 '+%Y-%m-%d %H:%M:%S').500000000 $(date -d @1000000000 +%z)" ]; then
	for t in 1000000000 1000000000.1; do
		printf 'new\n' >cut_src
		printf 'old\n' >cut_dst
		touch -d @1000000000.123 cut_src
		touch -d @$t cut_dst
		ucp_try -u cut_src cut_dst
		expect_ok "-u over a time of fewer digits ($t)"
		[ "$(cat cut_dst)" = new ] || fail "-u kept a copy of time $t, older than the source's"
	done
	printf 'old\n' >cut_dst
	touch -r cut_src cut_dst
	ucp_try -u cut_src cut_dst
	expect_ok "-u over the same time"
	[ "$(cat cut_dst)" = old ] || fail "-u replaced a copy of the source's time"
fi
