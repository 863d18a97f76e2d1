#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --stats prints a summary on stderr whose numbers match the tree: files,
# directories, symbolic links, hard links, bytes, skipped entries, errors,
# and the engine that ran. Every error line printed is counted, those about
# the operands too.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/sub
mk_file src/a 100
mk_file src/b 200
mk_file src/sub/c 300
ln src/a src/sub/h
ln -s a src/l1
ln -s ../b src/sub/l2

# stat_of NAME: the value of the "NAME:" line of the last run's stderr.
stat_of() {
	sed -n "s/^$1: *//p" "$T_ERR"
}

expect_stat() {
	local got
	got=$(stat_of "$1")
	[ "$got" = "$2" ] || {
		show_last
		fail "--stats: $1 is '$got', expected '$2'"
	}
}

ucp_try -a --stats src dst
expect_ok
expect_out_empty
cmp_trees src dst
# a, b, c, the hard link h, and the two symbolic links.
expect_stat Files 6
expect_stat Directories 2
expect_stat 'Symbolic links' 2
expect_stat 'Hard links' 1
expect_stat Bytes '600 (600B)'
expect_stat Skipped 0
expect_stat Errors 0
stat_of Elapsed | grep -qE '^[0-9]+\.[0-9]{3}s$' || fail "--stats: bad Elapsed: $(stat_of Elapsed)"
stat_of Throughput | grep -qE '^[0-9.]+[BKMGTP]/s$' || fail "--stats: bad Throughput: $(stat_of Throughput)"
engine=$(stat_of Engine)
case "${UCP_ARGS-} ${UCP_WRAP-}" in
*threads* | *noiouring*) want=threads ;;
*) want='(io_uring|threads)' ;;
esac
printf '%s\n' "$engine" | grep -qE "^$want, [0-9]+ workers?$" ||
	fail "--stats: Engine is '$engine', expected $want"
ucp_try --engine=threads -j 3 --stats src/a a2
expect_ok
expect_stat Engine 'threads, 3 workers'
expect_stat Directories 0
expect_stat Files 1

# -n keeps existing entries: skipped, not copied.
mkdir -p dst2/src/sub/c
mk_file dst2/src/b 7
ucp_try -r -n --stats src dst2
expect_ok
expect_stat Skipped 2
expect_stat Errors 0
# a, h (a plain copy without -a), l1, l2.
expect_stat Files 4
expect_stat Bytes '200 (200B)'

# An entry that cannot be copied is an error.
mkdir -p dst4/src/sub/c
ucp_try -r --stats src dst4
expect_rc 1
expect_err_line "ucp: cannot overwrite directory 'dst4/src/sub/c' with non-directory 'src/sub/c'"
expect_stat Errors 1
expect_stat Files 5
expect_stat Bytes '400 (400B)'

# Without --stats there is no summary.
ucp_try -r src dst3
expect_ok
expect_err_empty

# Errors found before any worker runs (the operands) are counted too: the
# count always matches the error lines printed.
ucp_try --stats src/a src/a
expect_rc 1
expect_err_line "ucp: 'src/a' and 'src/a' are the same file"
expect_stat Errors 1
printf 'x\n' >not_a_dir
ucp_try --stats src/a src/b not_a_dir
expect_rc 2
expect_err_line "ucp: target 'not_a_dir' is not a directory"
expect_stat Errors 1
# A missing target: the reason, as cp gives it, exit 1.
ucp_try --stats src/a src/b missing_dir
expect_rc 1
expect_err_line "ucp: target 'missing_dir': No such file or directory"
expect_stat Errors 1
ucp_try --stats src dst5
expect_rc 1
expect_err_line "ucp: -r not specified; omitting directory 'src'"
expect_stat Errors 1

# A dry run counts as the run would: the symbolic links and the hard link
# too, and nothing is made.
ucp_try --sync --dry-run --stats src dry
expect_ok
expect_stat Files 6
expect_stat 'Symbolic links' 2
expect_stat 'Hard links' 1
assert_absent dry

# --list counts the members by type, as --untar does.
ucp_try --tar src s.tar
expect_ok
ucp_try --list --stats s.tar
expect_ok
expect_stat Files 6
expect_stat Directories 2
expect_stat 'Symbolic links' 2
expect_stat 'Hard links' 1

# --tar: a hard-link member carries no data in a tar format, and its bytes
# are not counted again (each name's were: 3,000,000 for 1,000,000).
mkdir hl
head -c 1000000 /dev/urandom >hl/a
ln hl/a hl/b
ln hl/a hl/c
ucp_try --tar --stats hl hl.tar
expect_ok
grep -q '^Bytes: *1000000 ' "$T_ERR" || fail "--tar counted the linked names' bytes: $(grep Bytes "$T_ERR")"
