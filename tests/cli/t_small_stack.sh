#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A small stack limit: a worker thread's stack is RLIMIT_STACK's size, and
# reading a file's extended attributes took two 64 KiB buffers on it, so
# under ulimit -s 128 (cp and rsync work there) -a, -p, --sync and --tar
# died of SIGSEGV or SIGABRT, or wrote past their stacks. A value longer
# than the first small buffer (1 KiB) and an ACL take the larger path.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_acl_xattr
mkdir -p s/d
printf 'a\n' >s/f
printf 'b\n' >s/d/g
long=$(head -c 3000 /dev/zero | tr '\0' v)
setfattr -n user.long -v "$long" s/f
setfattr -n user.short -v x s/d/g
setfacl -m u:1234:r s/d/g
setfacl -d -m u:1234:rx s/d

# same_attrs A B: the same attributes, values and ACLs.
same_attrs() {
	[ "$(cd "$1" && getfattr -R -h -d -m - . 2>/dev/null)" = \
		"$(cd "$2" && getfattr -R -h -d -m - . 2>/dev/null)" ]
}

for kib in 128 64; do
	for how in "-a" "-a --engine=threads" "-r --preserve=mode,xattr" "--sync"; do
		rm -rf d
		RC=0
		(ulimit -s "$kib" && run_ucp $how s d) >"$T_OUT" 2>"$T_ERR" || RC=$?
		expect_ok
		same_attrs s d || fail "ucp $how under ulimit -s $kib: the attributes differ"
	done
	rm -rf a.tar x
	RC=0
	(ulimit -s "$kib" && run_ucp --tar s a.tar && run_ucp --untar -p a.tar x) \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_ok
	same_attrs s x/s || fail "--tar and --untar under ulimit -s $kib: the attributes differ"
done
