#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# make install puts the binary (unstripped), the manual page and the three
# completions under DESTDIR/PREFIX at the standard paths (zsh's in
# site-functions, which zsh searches under /usr/local too, where Debian's
# vendor-completions is searched under /usr only); make uninstall
# removes exactly those; CFLAGS, CPPFLAGS and LDFLAGS reach the compiler
# and the linker.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v make >/dev/null || skip "make is not installed"
[ -f "$TOP/Makefile" ] || skip "no Makefile at $TOP"
[ "$UCP" -ef "$TOP/ucp" ] || skip "the binary under test is not $TOP/ucp"

# The outer make's settings (DEVELOPER, SANITIZE...) must not leak in, and
# -o ucp keeps the tested binary as it is.
topmake() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s -C "$TOP" -o ucp "$@"
}

stage=$PWD/stage
topmake install DESTDIR="$stage" PREFIX=/usr >make.out 2>&1 || {
	cat make.out >&2
	fail "make install failed"
}
(cd "$stage" && find . -type f | LC_ALL=C sort) >installed
cat >expected <<'LIST'
./usr/bin/ucp
./usr/share/bash-completion/completions/ucp
./usr/share/fish/vendor_completions.d/ucp.fish
./usr/share/man/man1/ucp.1
./usr/share/zsh/site-functions/_ucp
LIST
diff -u expected installed >&2 || fail "make install put other files (- expected, + installed)"
cmp -s "$TOP/ucp" "$stage/usr/bin/ucp" || fail "the installed binary differs from the built one (stripped?)"
[ -x "$stage/usr/bin/ucp" ] || fail "the installed binary is not executable"
assert_mode "$stage/usr/share/man/man1/ucp.1" 644
"$stage/usr/bin/ucp" --version | grep -q '^ucp ' || fail "the installed binary does not run"

# Something of the user's own under the same directories stays.
: >"$stage/usr/bin/other"
topmake uninstall DESTDIR="$stage" PREFIX=/usr >make.out 2>&1 || {
	cat make.out >&2
	fail "make uninstall failed"
}
left=$(cd "$stage" && find . -type f | LC_ALL=C sort)
[ "$left" = ./usr/bin/other ] || fail "after make uninstall, files left: $left"

# The user's flags are added to the project's on every compile and link
# line (a dry run: nothing is built).
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -n -B -C "$TOP" V=1 ucp \
	CFLAGS='-O1 -DUCP_PROBE_CFLAGS' CPPFLAGS='-DUCP_PROBE_CPPFLAGS' \
	LDFLAGS='-Wl,--ucp-probe-ldflags' >dry 2>&1 || {
	cat dry >&2
	fail "make -n failed"
}
compiles=$(grep -c -- ' -c -o ' dry || true)
[ "$compiles" -gt 0 ] || fail "no compile line in make -n: $(head -5 dry)"
[ "$(grep -- ' -c -o ' dry | grep -c -- '-DUCP_PROBE_CFLAGS')" = "$compiles" ] ||
	fail "CFLAGS is missing from some compile lines"
[ "$(grep -- ' -c -o ' dry | grep -c -- '-DUCP_PROBE_CPPFLAGS')" = "$compiles" ] ||
	fail "CPPFLAGS is missing from some compile lines"
grep -- ' -o ucp ' dry | grep -q -- '-Wl,--ucp-probe-ldflags' ||
	fail "LDFLAGS is missing from the link line"
# _FORTIFY_SOURCE, which needs optimisation, is added with -O1 but not
# with -O0, where some toolchains warn of it on every file (an error under
# -Werror). (SANITIZE emptied: a sanitizer build, as the suite's second
# run is, adds no hardening flags at all.)
for opt in -O1 -O0; do
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u SANITIZE make -n -B -C "$TOP" \
		V=1 ucp CFLAGS="$opt -g" SANITIZE= >"dry$opt" 2>&1 || {
		cat -- "dry$opt" >&2
		fail "make -n ($opt) failed"
	}
	n=$(grep -- ' -c -o ' "dry$opt" | grep -c -- '-D_FORTIFY_SOURCE' || true)
	case $opt:$n in
	-O1:0) fail "-O1: no _FORTIFY_SOURCE on the compile lines" ;;
	-O0:0) ;;
	-O0:*) fail "-O0: _FORTIFY_SOURCE was added" ;;
	esac
done
