#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Archives made by ucp extract identically with GNU tar and bsdtar, and
# archives made by them extract identically with ucp: gnutar, pax and ustar
# formats, and every compression whose command-line tool is installed
# (missing tools are skipped with a note).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v tar >/dev/null || skip "GNU tar not installed"
umask 022
mkdir -p src/a/b src/empty_dir "src/dir with space"
printf 'one\n' >src/a/f
ln src/a/f src/a/b/f_link
: >src/empty
head -c 100000 /dev/urandom >src/rand
ln -s a/f src/sym
ln -s ../rand src/a/up
printf 'u\n' >"src/h$(printf '\xc3\xa9')t$(printf '\xc3\xa9')"
printf 's\n' >"src/dir with space/x y"
mid=$(printf 'm%.0s' $(seq 60))
mkdir -p "src/$mid/$mid"
printf 'deep\n' >"src/$mid/$mid/file_with_a_long_name"
chmod 600 src/empty
chmod 700 src/a/b
chmod 444 src/rand
touch -d '2003-03-03 03:03:03 UTC' src/a/f src/rand
touch -d '2004-04-04 04:04:04 UTC' src/a/b src/empty_dir

describe() {
	(
		cd "$1"
		find . -printf '%p|%y|%m|%s|%l|%Ts\n' | grep -v '^\.|' | sort
		find . ! -type d -printf '%i %p\n' | sort -k1,1n -k2 |
			awk '$1 != last { if (g) print g; g = ""; last = $1 }
			     { g = g " " $2 } END { if (g) print g }' | sort
		find . -type f -print0 | sort -z | xargs -0 sha256sum
	)
}
describe src >want

# same DIR WHAT: DIR/src must equal src.
same() {
	describe "$1/src" >got
	diff -u want got >&2 || fail "$2 differs (- source, + extracted)"
}

has_bsdtar=0
command -v bsdtar >/dev/null && has_bsdtar=1
[ "$has_bsdtar" = 1 ] || echo "note: bsdtar not installed (libarchive-tools); its cases are skipped"

for fmt in pax gnutar ustar; do
	# ucp writes, the others read.
	ucp_try --tar --format="$fmt" src "u_$fmt.tar"
	expect_ok
	mkdir "gx_$fmt"
	tar -xf "u_$fmt.tar" -C "gx_$fmt" 2>tar.err || fail "GNU tar cannot extract ucp's $fmt archive: $(cat tar.err)"
	same "gx_$fmt" "ucp $fmt archive extracted by GNU tar"
	if [ "$has_bsdtar" = 1 ]; then
		mkdir "bx_$fmt"
		bsdtar -xf "u_$fmt.tar" -C "bx_$fmt" || fail "bsdtar cannot extract ucp's $fmt archive"
		same "bx_$fmt" "ucp $fmt archive extracted by bsdtar"
	fi

	# The others write, ucp reads.
	gfmt=$fmt
	[ "$fmt" = gnutar ] && gfmt=gnu
	tar --format="$gfmt" -cf "g_$fmt.tar" src
	ucp_try --untar "g_$fmt.tar" "ug_$fmt"
	expect_ok
	same "ug_$fmt" "GNU tar $fmt archive extracted by ucp"
	if [ "$has_bsdtar" = 1 ]; then
		bsdtar --format "$fmt" -cf "b_$fmt.tar" src
		ucp_try --untar "b_$fmt.tar" "ub_$fmt"
		expect_ok
		same "ub_$fmt" "bsdtar $fmt archive extracted by ucp"
	fi
done

# A time before 1970 with a fraction of a second is one decimal number in
# pax ("-1.75"): GNU tar reads ucp's as meant, and ucp reads GNU tar's.
# (bsdtar writes and reads these one second off, so it is not asked.)
mkdir -p old/src
printf 'f\n' >old/src/f
printf 'g\n' >old/src/g
printf 'h\n' >old/src/h
touch -d '1969-12-31 23:59:58.25 UTC' old/src/f
touch -d '1960-06-01 12:00:00.75 UTC' old/src/g
touch -d '1969-12-31 23:58:59.5 UTC' old/src/h
touch -d '1969-12-31 23:59:57 UTC' old/src
times() { (cd "$1" && TZ=UTC stat -c '%n %y' old/src old/src/f old/src/g old/src/h); }
times . >want_old
ucp_try --tar old old_u.tar
expect_ok
mkdir old_gx
tar -xf old_u.tar -C old_gx 2>/dev/null || fail "GNU tar cannot extract ucp's pre-1970 archive"
times old_gx >got
diff -u want_old got >&2 || fail "pre-1970 times of ucp's pax archive, extracted by GNU tar (- source, + extracted)"
tar --format=pax -cf old_g.tar old 2>/dev/null
ucp_try --untar old_g.tar old_ug
expect_ok
times old_ug >got
diff -u want_old got >&2 || fail "pre-1970 times of GNU tar's pax archive, extracted by ucp (- source, + extracted)"
ucp_try --untar old_u.tar old_uu
expect_ok
times old_uu >got
diff -u want_old got >&2 || fail "pre-1970 times of ucp's pax archive, extracted by ucp (- source, + extracted)"
TZ=UTC0 ucp_try --list -v old_g.tar
expect_ok
# (-60.5 s: read as -60 + 0.5 s, it would list as 23:59)
grep -q ' 1969-12-31 23:58 old/src/h$' "$T_OUT" || fail "--list -v shows old/src/h at another minute: $(cat "$T_OUT")"

# Compressions, through the tools themselves.
for spec in "gzip gz" "bzip2 bz2" "xz xz" "zstd zst" "lz4 lz4"; do
	read -r prog ext <<<"$spec"
	if ! command -v "$prog" >/dev/null; then
		echo "note: $prog not installed; .$ext interop skipped"
		continue
	fi
	ucp_try --tar src "u.tar.$ext"
	expect_ok
	mkdir "cx_$ext"
	"$prog" -dc "u.tar.$ext" | tar -xf - -C "cx_$ext" 2>tar.err ||
		fail "$prog -d | tar -x cannot read ucp's .tar.$ext: $(cat tar.err)"
	same "cx_$ext" "ucp .tar.$ext read by $prog and GNU tar"
	tar -cf - src | "$prog" -c >"t.tar.$ext"
	ucp_try --untar "t.tar.$ext" "ct_$ext"
	expect_ok
	same "ct_$ext" "tar | $prog archive extracted by ucp"
	"$prog" -c <"g_pax.tar" | run_ucp --untar - "cs_$ext" 2>"$T_ERR" ||
		fail "$prog-compressed archive on stdin: $(cat "$T_ERR")"
	same "cs_$ext" "$prog-compressed archive on stdin"
done

# The second volume of a GNU multi-volume archive begins with the rest of a
# file (type M): refused, not extracted over the file there as a whole one.
head -c 300000 /dev/urandom >mvbig
tar -c -M -L 200 -f vol1.tar -f vol2.tar mvbig
mkdir -p mvout
printf 'PRECIOUS\n' >mvout/mvbig
ucp_try --untar vol2.tar mvout
expect_rc 1 "a multi-volume continuation"
expect_err_line "ucp: cannot extract 'mvbig': the rest of a file begun in another volume of a multi-volume archive (tar -M): not extracted"
[ "$(cat mvout/mvbig)" = PRECIOUS ] || fail "a continuation replaced the file there"
ucp_try --list vol2.tar
expect_rc 1 "--list of a multi-volume continuation"
