#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# As an unprivileged user, -a and --sync keep the user xattrs of read-only
# (0444) files and directories, as cp -a does, and the copies keep their
# read-only modes.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v setfattr >/dev/null || skip "setfattr not installed (package attr)"
unpriv_setup
mkdir -p src/rodir
printf 'a\n' >src/ro
printf 'b\n' >src/rodir/f
unpriv_own src .
"${UNPRIV[@]}" setfattr -n user.k -v file src/ro 2>/dev/null ||
	skip "this file system has no user xattrs"
"${UNPRIV[@]}" setfattr -n user.k -v dir src/rodir
chmod 0444 src/ro
chmod 0555 src/rodir

xattr_of() {
	getfattr -h -n user.k --only-values "$1" 2>/dev/null || echo none
}

"${UNPRIV[@]}" cp -a src ref
[ "$(xattr_of ref/ro)" = file ] || skip "cp -a itself loses the xattr here"
for how in "-a src a" "--sync src s"; do
	# shellcheck disable=SC2086 # split on purpose
	ucp_try_unpriv $how
	expect_ok
	d=${how##* }
	[ "$(xattr_of "$d/ro")" = file ] || { show_last; fail "ucp $how: the 0444 file lost its xattr"; }
	[ "$(xattr_of "$d/rodir")" = dir ] || fail "ucp $how: the 0555 directory lost its xattr"
	assert_mode "$d/ro" 444
	assert_mode "$d/rodir" 555
done

# --preserve=xattr alone: the owner write lent for the attribute goes
# back, and the copy has the mode a copy without it gets (the source's
# less the umask), as with cp --preserve=xattr.
for how in "--preserve=xattr src/ro px" "-r --preserve=xattr src/rodir pxd"; do
	d=${how##* }
	# shellcheck disable=SC2086 # split on purpose
	UCP_CMD=()
	ucp_cmd
	"${UNPRIV[@]}" sh -c 'umask 077; exec "$@"' sh "${UCP_CMD[@]}" $how >"$T_OUT" 2>"$T_ERR" ||
		{ show_last; fail "ucp $how failed"; }
	[ "$(xattr_of "$d")" != none ] || fail "ucp $how: the xattr was lost"
	case $d in
	px) assert_mode "$d" 400 ;;
	pxd) assert_mode "$d" 500 ;;
	esac
done
