#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copying a file onto itself (same name, a hard link, a symlink either way)
# is refused with exit 1 and leaves the file untouched.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

printf 'original\n' >a
ln a h
ln -s a s
mkdir d
printf 'in d\n' >d/x
ino=$(stat -c %i a)

check_untouched() {
	[ "$(cat a)" = original ] || fail "content of 'a' changed ($1)"
	[ "$(stat -c %i a)" = "$ino" ] || fail "'a' was replaced ($1)"
	[ "$(stat -c %i h)" = "$ino" ] || fail "hard link 'h' was replaced ($1)"
	[ "$(readlink s)" = a ] || fail "symlink 's' was changed ($1)"
}

ucp_try a a
expect_rc 1 "same name"
expect_err_line "ucp: 'a' and 'a' are the same file"
check_untouched "a a"

ucp_try ./a a
expect_rc 1 "./a a"
expect_err_line "ucp: './a' and 'a' are the same file"
check_untouched "./a a"

ucp_try a h
expect_rc 1 "hard link"
expect_err_line "ucp: 'a' and 'h' are the same file"
check_untouched "a h"

ucp_try a s
expect_rc 1 "symlink as destination"
expect_err_line "ucp: 'a' and 's' are the same file"
check_untouched "a s"

ucp_try s a
expect_rc 1 "symlink as source"
expect_err_line "ucp: 's' and 'a' are the same file"
check_untouched "s a"

ucp_try d/x d
expect_rc 1 "file into its own directory"
expect_err_line "ucp: 'd/x' and 'd/x' are the same file"
[ "$(cat d/x)" = "in d" ] || fail "content of 'd/x' changed"
assert_no_tmp .

# A directory onto itself (-T), also through a symlink: one message for
# the directory, as cp says it, not one for each of its files.
mkdir -p sd
printf '1\n' >sd/one
printf '2\n' >sd/two
ln -s sd sd_link
for dst in sd sd_link; do
	ucp_try -rT sd "$dst"
	expect_rc 1 "a directory onto itself ($dst)"
	[ "$(cat "$T_ERR")" = "ucp: 'sd' and '$dst' are the same file" ] || {
		show_last
		fail "-rT sd $dst: not one message for the directory"
	}
done
[ "$(cat sd/one sd/two)" = "$(printf '1\n2')" ] || fail "sd changed"
assert_no_tmp sd

# A symbolic link copied as one (-P, -d) onto another to the same target:
# two files, so the second is replaced, as cp -P does; onto the target
# itself, or onto a hard link of itself, the same file.
ln -s a s2
for opt in -P -d; do
	rm -f s3
	ln -s a s3
	ucp_try "$opt" s2 s3
	expect_ok
	[ -L s3 ] && [ "$(readlink s3)" = a ] || fail "$opt s2 s3: s3 is no link to a"
done
ucp_try -P s2 a
expect_rc 1 "-P: a link onto its target"
expect_err_line "ucp: 's2' and 'a' are the same file"
ln s2 s2h
ucp_try -P s2 s2h
expect_rc 1 "-P: a link onto a hard link of itself"
expect_err_line "ucp: 's2' and 's2h' are the same file"
[ "$(cat a)" = original ] || fail "content of 'a' changed"

# -n keeps what is there without looking at it, as cp -n does: a file
# onto itself, or onto a hard link of itself (a cp -al snapshot), is
# skipped without a word, status 0, as the same case inside a tree is.
mkdir -p nd
printf 'kept\n' >nf
ln nf nd/nf
for opt in -n --update=none; do
	ucp_try "$opt" nf nd
	expect_ok "$opt: onto a hard link of itself"
	[ ! -s "$T_ERR" ] || fail "$opt nf nd said: $(cat "$T_ERR")"
	ucp_try "$opt" nf nf
	expect_ok "$opt: onto itself"
	[ ! -s "$T_ERR" ] || fail "$opt nf nf said: $(cat "$T_ERR")"
done
[ "$(cat nf)" = kept ] && [ "$(stat -c %h nf)" = 2 ] || fail "nf changed"
assert_no_tmp nd
