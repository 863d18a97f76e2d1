#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Truncated and corrupted archives end with exit 1 and a message naming the
# archive and the position, never a crash, and never leave a short file
# under its final name: every file that was extracted is complete. A zip
# member failing its CRC is not kept, and the rest is extracted.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p src/d
for i in 1 2 3 4 5; do
	head -c $((i * 7000 + 13)) /dev/urandom >"src/d/f$i"
done
head -c 200000 /dev/urandom >src/z_big
ucp_try --tar src a.tar
expect_ok
ucp_try --tar src a.tar.xz
expect_ok
size=$(stat -c %s a.tar)

# Files in DIR must be whole copies of the source.
check_complete() {
	local f
	while IFS= read -r -d '' f; do
		cmp -s "$f" "src/${f#"$1"/src/}" || fail "partial file left: $f"
	done < <(find "$1" -type f -print0 2>/dev/null)
}

for off in 100 700 1300 9000 20011 40000 $((size / 2 + 7)) $((size - 30000))
do
	head -c "$off" a.tar >cut.tar
	rm -rf out
	ucp_try --untar cut.tar out
	expect_rc 1 "archive cut at $off"
	expect_err_has "ucp: cannot read archive 'cut.tar': "
	[ "$off" -lt 512 ] || expect_err_has "at byte "
	check_complete out
	ucp_try --list cut.tar
	[ "$RC" != 0 ] || [ "$off" -gt 20000 ] || fail "--list of an archive cut at $off succeeded"
done

xsize=$(stat -c %s a.tar.xz)
for off in 50 $((xsize / 3)) $((xsize - 10)); do
	head -c "$off" a.tar.xz >cut.tar.xz
	rm -rf out
	ucp_try --untar cut.tar.xz out
	expect_rc 1 "xz archive cut at $off"
	expect_err_has "ucp: cannot read archive 'cut.tar.xz': "
	check_complete out
done

# Flipped bytes: in the first header, in a later header, inside xz data.
flip() {
	cp "$1" "$2"
	printf '\377\377\377\377' | dd of="$2" bs=1 seek="$3" conv=notrunc status=none
}
hdr2=$(( (1 + 1) * 512 ))
for spec in "a.tar 100" "a.tar 148" "a.tar $((hdr2 + 130))" "a.tar.xz $((xsize / 2))"; do
	read -r arch pos <<<"$spec"
	flip "$arch" "bad.$arch" "$pos"
	rm -rf out
	ucp_try --untar "bad.$arch" out
	expect_rc 1 "$arch with bytes flipped at $pos"
	expect_err_has "ucp: cannot read archive 'bad.$arch': "
	# xz checks a block after decoding it: earlier members may hold
	# the damage, but only the plain archive's headers are checked here.
	[ "$arch" = a.tar.xz ] || check_complete out
done

# Not an archive at all.
head -c 5000 /dev/urandom >junk
ucp_try --untar junk out2
expect_rc 1
expect_err_has "ucp: cannot read archive 'junk': "
# No byte at all is no archive (GNU tar says so too); an empty archive,
# which has its end blocks, is fine.
: >empty.tar
ucp_try --untar empty.tar out_empty
expect_rc 1 "an empty file"
expect_err_line "ucp: cannot read archive 'empty.tar': empty input: not an archive"
[ ! -e out_empty ] || fail "an empty file made the destination directory"
ucp_try --list - <empty.tar
expect_rc 1 "an empty standard input"
tar -cf none.tar -T /dev/null
ucp_try --untar none.tar out_none
expect_ok
ucp_try --list none.tar
expect_ok
ucp_try --list /nonexistent.tar
expect_rc 1
expect_err_has "ucp: cannot read archive '/nonexistent.tar': "

# A member header with a bad checksum: the members after it that can be
# found are extracted, but the run says where the damage is and fails.
mkdir hs
for i in 1 2 3 4; do head -c 1024 /dev/urandom >"hs/f$i"; done
tar -cf h.tar -C hs f1 f2 f3 f4
# Headers at 0, 1536, 3072, 4608: spoil the name of f3's.
flip h.tar badsum.tar $((3072 + 1))
rm -rf out
ucp_try --untar badsum.tar out
expect_rc 1 "a header with a bad checksum"
# (The offset of the damaged header itself, for dd skip=6 bs=512.)
expect_err_has "ucp: cannot read archive 'badsum.tar': at byte 3072, after member 'f2': "
expect_err_has "skipping to the next header"
for i in 1 2 4; do assert_same_file "hs/f$i" "out/f$i"; done
assert_absent out/f3
ucp_try --list badsum.tar
expect_rc 1 "--list of a header with a bad checksum"

# The first header spoiled: no format knows the start, so it is read as
# tar anyway, as GNU tar reads it, and the members after it are found
# (it was "Unrecognized archive format", nothing extracted). From a file,
# a pipe, and gzip and xz, whose start is read again from what was kept.
flip h.tar badfirst.tar 1
gzip -c badfirst.tar >badfirst.tar.gz
xz -c badfirst.tar >badfirst.tar.xz
for arch in badfirst.tar badfirst.tar.gz badfirst.tar.xz -; do
	rm -rf out
	if [ "$arch" = - ]; then
		ucp_try --untar - out <badfirst.tar
	else
		ucp_try --untar "$arch" out
	fi
	expect_rc 1 "the first header spoiled ($arch)"
	expect_err_has "ucp: cannot read archive '$arch': at byte "
	expect_err_has "Damaged tar archive; skipping to the next header"
	for i in 2 3 4; do assert_same_file "hs/f$i" "out/f$i"; done
	assert_absent out/f1
done
ucp_try --list badfirst.tar
expect_rc 1 "--list of an archive whose first header is spoiled"
[ "$(cat "$T_OUT")" = "$(printf 'f2\nf3\nf4')" ] || fail "--list of badfirst.tar: $(cat "$T_OUT")"

# Cut where a header was due, its end-of-archive blocks gone (a writer
# killed there leaves it so): an error (it was taken for whole, exit 0, as
# GNU tar and bsdtar take it). From a file and from a pipe.
tar -cf whole.tar -C hs f1 f2
head -c $((2 * 1536)) whole.tar >noend.tar
ucp_try --list noend.tar
expect_rc 1 "an archive without its end blocks"
expect_err_line "ucp: cannot read archive 'noend.tar': at byte 3072, after member 'f2': the archive ends without its end-of-archive blocks: cut short"
rm -rf out
ucp_try --untar - out <noend.tar
expect_rc 1 "an archive without its end blocks, from a pipe"
for i in 1 2; do assert_same_file "hs/f$i" "out/f$i"; done

# A text file reads as an mtree file list (names, no data): not an archive,
# where it came out as empty files named by its lines, exit 0.
printf 'one\ntwo\nthree\n' >words.txt
ucp_try --untar words.txt out_words
expect_rc 1 "a text file"
expect_err_line "ucp: cannot read archive 'words.txt': not an archive (text, read as an mtree file list, which holds no data)"
[ -z "$(ls -A out_words 2>/dev/null)" ] || fail "a text file was extracted: $(ls out_words)"
ucp_try --list words.txt
expect_rc 1 "--list of a text file"

# A malformed pax extended header (its first record's length spoiled): the
# name, size, times and attributes it held are lost, so the member is not
# extracted (it came out under another name, with exit 0); the others are.
tar --format=posix -cf px.tar -C hs f1 f2 f3
# f1: extended header at 0, its data at 512, ustar header at 1024, data
# 1536-2559; f2's extended header at 2560, its data at 3072.
[ "$(dd if=px.tar bs=1 skip=$((2560 + 156)) count=1 status=none)" = x ] ||
	fail "tar --format=posix wrote no extended header per member"
flip px.tar badpax.tar 3072
rm -rf out
ucp_try --untar badpax.tar out
expect_rc 1 "a malformed pax extended header"
expect_err_has "ucp: cannot read archive 'badpax.tar': at byte "
expect_err_has ", in member 'f2': Ignoring malformed pax extended attributes"
assert_same_file hs/f1 out/f1
assert_same_file hs/f3 out/f3
[ "$(find out -type f | wc -l)" = 2 ] || fail "a member with a malformed extended header was extracted"
ucp_try --list badpax.tar
expect_rc 1 "--list of a malformed pax extended header"

# gzip: its CRC-32 and length are checked (libarchive alone does not).
# (A member larger than a read: --list skips it, and a skip that meets the
# damage must name it too, not take it for a truncated file.)
head -c 300000 /dev/urandom >hs/big
tar -czf g.tar.gz -C hs f1 big f2 f3 f4
gsize=$(stat -c %s g.tar.gz)
# bad_case ARCHIVE WORDS: --untar and --list fail on ARCHIVE, naming it,
# and the message has WORDS.
bad_case() {
	rm -rf out
	ucp_try --untar "$1" out
	expect_rc 1 "$1"
	expect_err_has "ucp: cannot read archive '$1': "
	expect_err_has "$2"
	ucp_try --list "$1"
	expect_rc 1 "--list $1"
	expect_err_has "$2"
}
# The CRC-32 (8 bytes from the end), then the length (4 bytes from it).
flip g.tar.gz crc.tar.gz $((gsize - 8))
bad_case crc.tar.gz "gzip: incorrect data check (found at the end of the data it covers: the damage may lie in any member before)"
flip g.tar.gz len.tar.gz $((gsize - 4))
bad_case len.tar.gz "gzip: incorrect length check"
cp g.tar.gz garbage.tar.gz
printf 'junk' >>garbage.tar.gz
bad_case garbage.tar.gz "gzip: trailing garbage"
head -c $((gsize - 3)) g.tar.gz >short.tar.gz
bad_case short.tar.gz "gzip: unexpected end"
# Cut in the middle: placed in the file (it said a byte past the file's
# end: the offset in the inflated data), and in the uncompressed archive.
head -c $((gsize / 2)) g.tar.gz >mid.tar.gz
bad_case mid.tar.gz "gzip: unexpected end"
at=$(sed -n "s/.*at byte \([0-9]*\) ([0-9]* of the uncompressed archive).*/\1/p" "$T_ERR")
[ -n "$at" ] && [ "$at" -le $((gsize / 2)) ] || { show_last; fail "mid.tar.gz: not placed in the file"; }
# Two gzip members one after the other, and zeros after the last, are fine.
cat g.tar.gz g.tar.gz >two.tar.gz
head -c 4096 /dev/zero >>two.tar.gz
rm -rf out
ucp_try --untar two.tar.gz out
expect_ok
for i in 1 2 3 4; do assert_same_file "hs/f$i" "out/f$i"; done

# lz4: libarchive checks an lz4 stream's checksum only at the stream's end,
# which the archive's end comes before; ucp reads it to there. Random data
# is stored in the stream as it is, covered by that checksum alone when
# the blocks have none (as the lz4 tool writes them); ucp writes a
# checksum on every block, so that damage is found before its data is
# written out.
if ucp_try --tar hs l.tar.lz4 && [ "$RC" = 0 ]; then
	lsize=$(stat -c %s l.tar.lz4)
	flip l.tar.lz4 bad.l.tar.lz4 $((lsize / 2))
	bad_case bad.l.tar.lz4 "lz4"
	# Cut in its first block: placed too (the bytes read by then).
	head -c $((lsize / 2)) l.tar.lz4 >half.l.tar.lz4
	bad_case half.l.tar.lz4 "at byte $((lsize / 2)): truncated lz4 input"
	# Nothing of the damaged block was written out.
	for f in out/hs/f*; do
		[ -e "$f" ] || continue
		cmp -s "$f" "${f#out/}" || fail "a damaged member was written out: $f"
	done
	rm -rf out
	ucp_try --untar l.tar.lz4 out
	expect_ok
	for i in 1 2 3 4; do assert_same_file "hs/f$i" "out/hs/f$i"; done
	if command -v lz4 >/dev/null; then
		tar -cf - -C hs f1 f2 f3 f4 | lz4 -q -z - plain.tar.lz4
		psize=$(stat -c %s plain.tar.lz4)
		flip plain.tar.lz4 sum.tar.lz4 $((psize / 2))
		bad_case sum.tar.lz4 "lz4 stream checksum error"
		head -c $((psize - 4)) plain.tar.lz4 >short.tar.lz4
		bad_case short.tar.lz4 "truncated lz4 input"
		rm -rf out
		ucp_try --untar - out <plain.tar.lz4
		expect_ok
		for i in 1 2 3 4; do assert_same_file "hs/f$i" "out/f$i"; done
	else
		printf 'no lz4 tool: archives with a stream checksum only not tried\n'
	fi
else
	printf 'libarchive here writes no lz4: lz4 cases not run\n'
fi

# zstd: ucp writes the content checksum (XXH64) that libarchive's own zstd
# writer leaves out, so that a byte flipped in data stored as it is (random
# data is not compressed) is found; the good archive reads back whole.
ucp_try --tar hs z.tar.zst
expect_ok
if command -v zstd >/dev/null; then
	zstd -lv z.tar.zst 2>/dev/null | grep -q 'Check: XXH64' ||
		fail "--tar wrote zstd without a content checksum"
fi
zsize=$(stat -c %s z.tar.zst)
flip z.tar.zst bad.z.tar.zst $((zsize / 2))
bad_case bad.z.tar.zst "Zstd"
rm -rf out
ucp_try --untar z.tar.zst out
expect_ok
for i in 1 2 3 4; do assert_same_file "hs/f$i" "out/hs/f$i"; done

# A member with a long name (some 600 bytes), cut off: the message names
# it whole, and says what is wrong after it.
long=$(printf 'dir_%03d/' $(seq 75))
mkdir -p "ln/$long"
head -c 100000 /dev/urandom >"ln/${long}file"
ucp_try --tar ln long.tar
expect_ok
# (Cut inside the file's data, the last member.)
head -c $(($(stat -c %s long.tar) - 60000)) long.tar >cut_long.tar
rm -rf out
mkdir out
ucp_try --untar cut_long.tar out
expect_rc 1
grep -qF "member 'ln/${long}file': " "$T_ERR" || { show_last; fail "the long member's name was cut"; }

# zip: a member whose data fails its CRC is not extracted (the old file
# under its name stays), the error names it, and the rest is extracted;
# exit 1 (it was 0, and the damaged data replaced the old file).
mkdir zs
seq 1 100000 >zs/f
printf 'small\n' >zs/g
ucp_try --tar --format=zip --level=0 zs z.zip
expect_ok
flip z.zip bad.zip 1000
mkdir -p zout/zs
printf 'OLD\n' >zout/zs/f
ucp_try --untar bad.zip zout
expect_rc 1
expect_err_has "ucp: cannot extract 'zs/f': ZIP bad CRC"
[ "$(cat zout/zs/f)" = OLD ] || fail "the damaged member replaced the old file"
cmp zs/g zout/zs/g || fail "the member after the damaged one was not extracted"
assert_no_tmp zout/zs

# A compressed archive cut before its first header was whole, or in the
# gzip trailer after its last member: the message says where, as for
# damage later on (it was "Unrecognized archive format", liblzma's "No
# progress is possible", or no offset at all).
for z in gzip xz bzip2 zstd; do
	command -v "$z" >/dev/null || continue
	"$z" -c <a.tar >"c.tar.$z"
	head -c 100 "c.tar.$z" >"cut100.tar.$z"
	ucp_try --untar "cut100.tar.$z" out100
	expect_rc 1 "$z archive cut at byte 100"
	grep -Eq "^ucp: cannot read archive 'cut100.tar.$z': at byte 100: .*([Uu]nexpected end|[Tt]runcated)" "$T_ERR" ||
		{ show_last; fail "$z archive cut at byte 100: not said where and what"; }
done
gzip -c <a.tar >t.tar.gz
head -c -4 t.tar.gz >trailer.tar.gz
ucp_try --untar trailer.tar.gz outt
expect_rc 1 "gzip archive without the end of its trailer"
expect_err_has "ucp: cannot read archive 'trailer.tar.gz': at byte $(stat -c %s trailer.tar.gz) ("
expect_err_has "gzip: unexpected end of the compressed data"

# A zip whose central directory is cut off (or damaged, or past a long run
# of padding): libarchive finds none and reads its members as a stream,
# their types and modes not known: a symbolic link came out a regular
# file, the modes libarchive's placeholder 0664, exit 0 without a word.
# An error naming the archive, the members read with the umask's modes,
# as from a pipe; --list says it too. The whole archive: as archived.
mkdir -p zsrc
printf 'hi\n' >zsrc/f
chmod 600 zsrc/f
ln -s f zsrc/l
ucp_try --tar --format=zip zsrc z.zip
expect_ok
head -c -10 z.zip >zcut.zip
for how in "--untar -a zcut.zip zout" "--list zcut.zip"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try $how
	expect_rc 1 "$how"
	expect_err_has "ucp: cannot read archive 'zcut.zip': its central directory is missing or damaged"
done
want=$(printf '%o' $((0666 & ~0$(umask))))
[ "$(stat -c %a zout/zsrc/f)" = "$want" ] ||
	fail "zout/zsrc/f: mode $(stat -c %a zout/zsrc/f), not the umask's $want"
ucp_try --untar -a z.zip zgood
expect_ok
[ -L zgood/zsrc/l ] && [ "$(stat -c %a zgood/zsrc/f)" = 600 ] ||
	fail "the whole zip lost its types or modes"
# The whole zip on standard input from the file (the look for its
# directory is at that open file, not at a path '-'), and compressed (read
# as a stream, as from a pipe: a warning).
RC=0
ucp_cmd
"${UCP_CMD[@]}" --untar -a - zstdin <z.zip >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_ok "a whole zip on standard input"
expect_err_empty
[ -L zstdin/zsrc/l ] && [ "$(stat -c %a zstdin/zsrc/f)" = 600 ] ||
	fail "the whole zip on standard input lost its types or modes"
if command -v xz >/dev/null; then
	xz -k z.zip
	ucp_try --untar z.zip.xz zxz
	expect_ok "a compressed zip"
	expect_err_has "warning: 'z.zip.xz': a compressed zip, read as a stream"
fi

# A zip member whose mode (in the central directory) says a socket:
# libarchive hands on none of its data, and it came out a file of zeros,
# exit 0. An error naming it, no file made.
mkdir -p zsock
printf 'important data\n' >zsock/f
ucp_try --tar --format=zip zsock s.zip
expect_ok
off=$(grep -obUaP 'PK\x01\x02' s.zip | tail -n 1 | cut -d: -f1)
[ -n "$off" ] || fail "no central directory entry found in s.zip"
printf '\244\301' | dd of=s.zip bs=1 seek=$((off + 40)) conv=notrunc status=none
ucp_try --untar s.zip sout
expect_rc 1 "a zip member of no file type"
expect_err_line "ucp: cannot extract 'zsock/f': its mode is of no file type (a socket, or none): its data cannot be read"
assert_absent sout/zsock/f

# A zip member libarchive cannot decode (encrypted here; or packed with
# Deflate64) stopped the whole extraction, the members after it left out,
# where unzip and bsdtar go on: each is an error of its own now.
mkdir -p zenc
for n in a b c; do printf '%s\n' "$n" >"zenc/$n"; done
if command -v bsdtar >/dev/null &&
	(cd zenc && bsdtar --format zip --options zip:encryption=zipcrypt \
		--passphrase pw -cf ../enc.zip a b c) 2>/dev/null; then
	ucp_try --untar enc.zip eout
	expect_rc 1 "an encrypted zip"
	for n in a b c; do
		expect_err_line "ucp: cannot extract '$n': Passphrase required for this entry"
	done
fi
