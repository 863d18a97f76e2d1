#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# -Z and --context[=CTX] beside GNU cp on this machine: the same exit
# status, the same stderr (ucp's name for cp's) and the same copies, for a
# file and, with -a, a tree. Without SELinux, cp takes -Z and a bare
# --context silently and warns that it ignores a CTX; ucp, which never
# sets a context, says the same. With SELinux cp would set contexts and
# ucp only warns about a CTX: the comparison is skipped there.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

cp --version 2>/dev/null | grep -q GNU || skip "GNU cp is not installed"
[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is enabled: cp -Z sets contexts"

mkdir -p src/d
printf 'data\n' >src/f
printf 'more\n' >src/d/g

# shape PATH: names, types, modes and contents below PATH (times differ
# without -a).
shape() {
	(
		if [ -d "$1" ]; then
			cd "$1" && t=.
		else
			cd "$(dirname "$1")" && t=$(basename "$1")
		fi
		find "$t" -printf '%y %m %P\n' | LC_ALL=C sort
		find "$t" -type f -print0 | LC_ALL=C sort -z | xargs -0r cat | sha256sum
	)
}

# beside NAME OPTION... SRC: cp and ucp copy SRC into c.NAME and u.NAME.
beside() {
	local name=$1 crc=0
	shift
	cp "$@" "c.$name" 2>cp.err || crc=$?
	ucp_try "$@" "u.$name"
	expect_rc "$crc" "cp $* exited $crc"
	diff <(sed 's/^cp: /ucp: /' cp.err) "$T_ERR" >&2 ||
		fail "ucp $* said otherwise than cp (< cp, > ucp)"
	[ "$(shape "c.$name")" = "$(shape "u.$name")" ] ||
		fail "ucp $* copied otherwise than cp"
}

beside z1 -Z src/f
beside z2 --context src/f
beside z3 --context=system_u:object_r:tmp_t:s0 src/f
beside z4 -a -Z src/
beside z5 -rZ src/d
expect_err_empty

# -q silences the warning, before or after the option.
ucp_try -q --context=system_u:object_r:tmp_t:s0 src/f q1
expect_ok
expect_err_empty
ucp_try --context=system_u:object_r:tmp_t:s0 -q src/f q2
expect_ok
expect_err_empty
