#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A user's umask that takes the owner's own bits (0222, 0277, 0777): a
# directory ucp made for the copy came out without owner write, so nothing
# could be copied into it ("Permission denied", exit 1, only the top made;
# a first --sync left its partial tree at mode 000). cp -r, cp -a and
# rsync work: the directory has owner rwx while it is filled and its mode
# after. --parents made the same mistake for a read-only source parent
# (mode 0555) with any umask. Root (a user's run; root ignores modes).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_root "the copy must be a user's: root ignores modes"
unpriv_setup
mkdir -p src/sub/deep
printf 'a\n' >src/sub/f
printf 'b\n' >src/sub/deep/g
chmod 750 src/sub
unpriv_own src

# modes DIR: each path's type and mode below DIR.
modes() { (cd "$1" && find . -printf '%P %y %m\n' | LC_ALL=C sort); }

for m in 0222 0277 0200 0777; do
	rm -rf d c a s p q
	umask "$m"
	ucp_try_unpriv -r src d
	umask 022
	expect_ok
	"${UNPRIV[@]}" sh -c "umask $m && cp -r src c"
	[ "$(modes d)" = "$(modes c)" ] ||
		fail "ucp -r under umask $m: $(modes d | tr '\n' ' '), cp -r: $(modes c | tr '\n' ' ')"
	cmp d/sub/deep/g src/sub/deep/g || fail "ucp -r under umask $m: the data differs"
	# The mode kept (-a, --sync): the source's, whatever the umask.
	for how in -a --sync; do
		out=a
		[ "$how" = --sync ] && out=s
		umask "$m"
		ucp_try_unpriv "$how" src "$out"
		umask 022
		expect_ok
		[ "$(modes "$out")" = "$(modes src)" ] ||
			fail "ucp $how under umask $m: $(modes "$out" | tr '\n' ' ')"
	done
	[ ! -e .s.ucp-partial ] || fail "--sync under umask $m left its partial tree"
done

# --parents through a read-only source directory, with a plain umask and
# with one that takes the owner's write: as cp --parents.
chmod 555 src
mkdir p q
unpriv_own p q
for m in 022 0222; do
	rm -rf p/src q/src
	umask "$m"
	ucp_try_unpriv --parents -r src/sub/deep p
	umask 022
	expect_ok
	"${UNPRIV[@]}" sh -c "umask $m && cp --parents -r src/sub/deep q"
	[ "$(modes p)" = "$(modes q)" ] ||
		fail "ucp --parents under umask $m: $(modes p | tr '\n' ' '), cp: $(modes q | tr '\n' ' ')"
done
chmod 755 src
