#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# In a directory the run made, a name found taken when its copy is made is
# not replaced: it is another source's that the file system takes for the
# same (on a case-insensitive one, 'File' and 'file'), or someone else's
# made meanwhile. "cannot create regular file: File exists", exit 1, as
# cp. Here the names are taken while a test hook holds ucp after the
# first file. Debug builds.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

# (Many more files than a worker has in flight: names are left to take
# when it stops after its first.)
mkdir -p src/sub
seq -f 'src/sub/f%g' 1 2000 | xargs touch
stop_start 1 -r -j1 src dst
n=0
for f in src/sub/*; do
	f=dst/sub/${f##*/}
	if [ ! -e "$f" ]; then
		printf 'planted\n' >"$f"
		n=$((n + 1))
	fi
done
stop_resume
[ "$n" -ge 1 ] || fail "no name left to take"
expect_rc 1 "names taken in a directory the run made"
[ "$(grep -c "^ucp: cannot create regular file 'dst/sub/f[0-9]*': File exists\$" "$T_ERR")" = "$n" ] ||
	fail "not one error a taken name ($n): $(head -3 "$T_ERR")"
[ "$(grep -l planted dst/sub/* | wc -l)" = "$n" ] || fail "a taken name was replaced"

# -l and -s name what they make: a hard link, a symbolic link (it said
# "regular file").
for opt in -l -s; do
	rm -rf dst
	case $opt in
	-l) what="hard link" ;;
	-s) what="symbolic link" ;;
	esac
	stop_start 1 -r -j1 "$opt" "$PWD/src" dst
	n=0
	for f in src/sub/*; do
		f=dst/sub/${f##*/}
		if [ ! -e "$f" ] && [ ! -L "$f" ]; then
			printf 'planted\n' >"$f"
			n=$((n + 1))
		fi
	done
	stop_resume
	[ "$n" -ge 1 ] || fail "$opt: no name left to take"
	expect_rc 1 "$opt: names taken in a directory the run made"
	[ "$(grep -c "^ucp: cannot create $what 'dst/sub/f[0-9]*': File exists\$" "$T_ERR")" = "$n" ] ||
		fail "$opt: not one error a taken name ($n): $(head -3 "$T_ERR")"
done
