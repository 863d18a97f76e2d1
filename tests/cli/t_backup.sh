#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# -b, --backup=CONTROL, -S and the VERSION_CONTROL / SIMPLE_BACKUP_SUFFIX
# variables keep replaced files under the names cp gives them, with the
# old contents; files that are not replaced get no backup.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir src
printf 'new-a\n' >src/a
printf 'new-b\n' >src/b

prepare() {
	rm -rf "$1"
	mkdir "$1"
	printf 'old-a\n' >"$1/a"
	# b is missing: nothing to back up.
}

# listing DIR: every name with its contents, sorted.
listing() {
	(cd "$1" && for f in $(ls -A | LC_ALL=C sort); do printf '%s=%s\n' "$f" "$(cat "$f")"; done)
}

# check "ENV=..." OPT...: ucp and cp give the same names and contents,
# run twice so that numbered and existing backups count up. (One file at
# a time onto its destination name: cp 9.1 makes no simple backups when
# the destination operand is a directory.)
check() {
	local envs=$1
	shift
	prepare got
	prepare want
	for _ in 1 2; do
		# shellcheck disable=SC2086 # an empty envs vanishes
		RC=0
		for f in a b; do
			env $envs "${UCP_CMD[@]}" "$@" "src/$f" "got/$f" >"$T_OUT" 2>"$T_ERR" || RC=$?
			expect_ok
			# shellcheck disable=SC2086
			env $envs cp "$@" "src/$f" "want/$f"
		done
	done
	[ "$(listing got)" = "$(listing want)" ] ||
		fail "$envs $*: got $(listing got | tr '\n' ' '), cp gives $(listing want | tr '\n' ' ')"
	assert_no_tmp got
}

declare -a UCP_CMD
ucp_cmd
check "" -b
check "" --backup=simple
check "" --backup=never
check "" --backup=numbered
check "" --backup=t
check "" --backup=existing
check "" --backup=nil
check "" --backup=none
check "" --backup=off
check "" -b -S .bak
check "" --backup=simple --suffix=,old
# -S alone makes backups too, as in cp.
check "" -S .bak
check "VERSION_CONTROL=numbered" --suffix=.x
check "SIMPLE_BACKUP_SUFFIX=.orig" -b
check "VERSION_CONTROL=numbered" -b
check "VERSION_CONTROL=simple" --backup

# Recursive copies make backups too.
prepare got
ucp_try -rb src/. got
expect_ok
[ "$(cat got/a~)" = "old-a" ] || fail "-r: no backup of a"
[ ! -e got/b~ ] || fail "-r: b had nothing to back up"

# An existing simple backup turns -b (existing) numbered only once a
# numbered one exists; a simple one is replaced.
prepare got
printf 'older\n' >got/a~
ucp_try -b src/a got/a
expect_ok
[ "$(cat got/a~)" = "old-a" ] || fail "the simple backup was not replaced"
[ "$(cat got/a)" = "new-a" ] || fail "the file was not copied"

# A backup keeps the old inode: other names of it are untouched.
prepare got
ln got/a got/a-link
ucp_try -b src/a got/a
expect_ok
[ "$(stat -c %i got/a~)" = "$(stat -c %i got/a-link)" ] ||
	fail "the backup is not the old file"

# Bad words and combinations are usage errors.
ucp_try --backup=sometimes src/a got/a
expect_rc 2
expect_err_has "invalid backup type: 'sometimes'"
ucp_try -b -n src/a got/a
expect_rc 2
expect_err_has "mutually exclusive"
ucp_try -S a/b -b src/a got/a
expect_rc 2
RC=0
env VERSION_CONTROL=bogus "${UCP_CMD[@]}" -b src/a got/a >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 2
expect_err_has "invalid VERSION_CONTROL: 'bogus'"

# -v names the backup as cp -v does: "'a' -> 'b' (backup: 'b~')".
rm -rf vb
mkdir vb
printf 'new\n' >vb/a
printf 'old\n' >vb/b
ucp_try -v -b vb/a vb/b
expect_ok
expect_out_line "'vb/a' -> 'vb/b' (backup: 'vb/b~')"
ucp_try -v --backup=numbered vb/a vb/b
expect_ok
expect_out_line "'vb/a' -> 'vb/b' (backup: 'vb/b.~1~')"

# A backup that cannot be made names the file it would have made, for a
# file operand as for an entry of a tree (an immutable destination).
rm -rf ib
mkdir -p ib/src ib/dst
printf 'new\n' >ib/src/a
printf 'old\n' >ib/dst/a
if command -v chattr >/dev/null && chattr +i ib/dst/a 2>/dev/null; then
	ucp_try -b ib/src/a ib/dst/a
	rc=$RC
	cp "$T_ERR" err1
	ucp_try -rT -b ib/src ib/dst
	chattr -i ib/dst/a
	[ "$rc" = 1 ] || fail "a failed backup exited $rc"
	grep -qxF "ucp: cannot back up 'ib/dst/a' to 'ib/dst/a~': Operation not permitted" err1 ||
		fail "the file operand's message: $(cat err1)"
	expect_rc 1
	expect_err_line "ucp: cannot back up 'ib/dst/a' to 'ib/dst/a~': Operation not permitted"
else
	printf 'no immutable files here: failed backup case not run\n'
fi

# An explicit --backup=none is not overridden by -S, as in cp.
prepare got
ucp_try --backup=none -S .bak src/a got/a
expect_ok
[ ! -e got/a.bak ] || fail "--backup=none -S made a backup"

# An empty -S is the default suffix, as cp takes it.
printf 'new\n' >es_src
printf 'old\n' >es_dst
ucp_try --backup=simple -S '' es_src es_dst
expect_ok
[ "$(cat es_dst~)" = old ] || fail "-S '': no backup under the default suffix"

# cp's special case: -bf onto the same file (or a hard link of it) makes
# the backup and copies the file anew; -b alone is "the same file".
printf 'same\n' >sf
ucp_try -b sf sf
expect_rc 1 "-b onto the same file"
expect_err_line "ucp: 'sf' and 'sf' are the same file"
ucp_try -bf sf sf
expect_ok
[ "$(cat sf)" = same ] && [ "$(cat sf~)" = same ] || fail "-bf sf sf: no backup, or the file lost"
ln sf sf_link
ucp_try -bf sf sf_link
expect_ok
[ "$(cat sf_link~)" = same ] || fail "-bf onto a hard link: no backup"
[ "$(stat -c %i sf_link)" != "$(stat -c %i sf)" ] || fail "-bf onto a hard link: not copied anew"

# A backup name past NAME_MAX: the error names the backup it would have
# been, not the file again (cut to 255 bytes, it read as the file itself).
long=$(head -c 255 /dev/zero | tr '\0' n)
mkdir -p lsrc ldst
printf 'new\n' >"lsrc/$long"
printf 'old\n' >"ldst/$long"
ucp_try --backup=numbered "lsrc/$long" ldst/
expect_rc 1
expect_err_line "ucp: cannot back up 'ldst/$long' to 'ldst/$long.~1~': File name too long"
[ "$(cat "ldst/$long")" = old ] || fail "the file was replaced without its backup"
# A simple backup's name past NAME_MAX is cut, ending in '~', as cp cuts
# it: the first 254 bytes and '~' ("File name too long" before).
cut254=$(head -c 254 /dev/zero | tr '\0' n)
ucp_try -b "lsrc/$long" ldst/
expect_ok
[ "$(cat "ldst/$cut254~")" = old ] && [ "$(cat "ldst/$long")" = new ] ||
	fail "no cut simple backup of a 255-byte name"
# ... and where that cut name is the source's, the backup would take it:
# refused as any backup that is the source.
printf 'source\n' >"ldst/$cut254~"
ucp_try -b "ldst/$cut254~" "ldst/$long"
expect_rc 1
expect_err_has "might destroy source"
[ "$(cat "ldst/$cut254~")" = source ] || fail "the cut backup took the source's name"

# A source that is the destination's backup name: the backup would take
# its name (with -s, the only copy of its data: the link then led to the
# old destination), so it is refused, as cp refuses it, nothing changed.
mkdir bs
cd bs
for o in "-s -b" "-b" "-bf" "-l -b" "-b --remove-destination" \
	"--attributes-only -b" "--backup=existing" "-S .bak -b"; do
	suffix='~'
	[ "$o" = "-S .bak -b" ] && suffix=.bak
	printf 'current\n' >a
	printf 'previous\n' >"a$suffix"
	# shellcheck disable=SC2086
	ucp_try $o "a$suffix" a
	expect_rc 1 "$o a$suffix a"
	expect_err_line "ucp: backing up 'a' might destroy source; 'a$suffix' not copied"
	[ "$(cat a)" = current ] && [ "$(cat "a$suffix")" = previous ] && [ ! -L a ] ||
		fail "$o a$suffix a: a file changed"
	rm -f a "a$suffix"
done
# As cp: not a source of another name (a hard link of the backup), nor
# where nothing is made (-u keeps the file, -l finds it linked already).
printf 'current\n' >a
printf 'previous\n' >a~
ln a~ h
ucp_try -b h a
expect_ok
[ "$(cat a)" = previous ] && [ "$(cat a~)" = current ] || fail "-b h a: not backed up and copied"
rm -f a a~ h
printf 'current\n' >a
printf 'previous\n' >a~
touch -d '2000-01-01 00:00:00' a~
ucp_try -bu a~ a
expect_ok
[ "$(cat a)" = current ] || fail "-bu: a newer file was replaced"
rm -f a a~
printf 'previous\n' >a~
ln a~ a
ucp_try -l -b a~ a
expect_ok
rm -f a a~
# A symbolic link to the destination is the same file, also where a
# backup or --remove-destination would replace a hard link of it.
printf 'hi\n' >a
ln -s a b
for o in -b --backup=numbered -bf --remove-destination; do
	ucp_try "$o" b a
	expect_rc 1 "$o b a"
	expect_err_line "ucp: 'b' and 'a' are the same file"
	[ "$(cat a)" = hi ] && [ ! -e a~ ] && [ ! -e a.~1~ ] ||
		fail "$o b a: the file was backed up or replaced"
done
# ... unless the link itself is copied (-P): another file, as cp -P.
ucp_try -P -b b a
expect_ok
[ -L a ] && [ "$(cat a~)" = hi ] || fail "-P -b b a: the link was not copied over a backed-up a"
cd ..

# A numbered backup's name past NAME_MAX where the simple one fits: the
# simple one, as cp makes it.
mkdir nl
l253=$(head -c 253 /dev/zero | tr '\0' b)
printf 'new\n' >nl/s
printf 'old\n' >"nl/$l253"
ucp_try --backup=numbered nl/s "nl/$l253"
expect_ok
[ "$(cat "nl/$l253~")" = old ] || fail "no simple backup where the numbered name is too long"

# Numbered backups count in decimal whatever the length, as cp: the next
# after 18446744073709551615 (2^64 - 1, which the count skipped) is one
# more, not 1.
mkdir nb
printf 'new\n' >nb/s
printf 'old\n' >nb/a
printf 'b\n' >'nb/a.~18446744073709551615~'
printf 'c\n' >nb/a.~9~
ucp_try --backup=numbered nb/s nb/a
expect_ok
[ "$(cat 'nb/a.~18446744073709551616~')" = old ] ||
	fail "the backup did not take the next number after the highest"
ucp_try --backup=existing nb/s nb/a
expect_ok
[ "$(cat 'nb/a.~18446744073709551617~')" = new ] ||
	fail "--backup=existing did not number after the highest"
