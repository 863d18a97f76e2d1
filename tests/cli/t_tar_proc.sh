#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --tar of a file of /proc, whose size shows 0: it is read to its end and
# its member holds what was read, as copy mode copies it (it was an empty
# member and "file changed as we read it", exit 1).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

[ -r /proc/version ] && [ "$(stat -c %s /proc/version)" = 0 ] ||
	skip "no /proc/version of size 0"
cat /proc/version >want
ucp_try --tar /proc/version v.tar
expect_ok
tar -xOf v.tar proc/version >got
cmp -s want got || fail "the member is not /proc/version: $(wc -c <got) bytes"
