#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# As an unprivileged user, a 0555 directory holding a 0444 file copies
# completely and the copies end with the same modes.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
mkdir -p src/ro_dir/inner
printf 'ro\n' >src/ro_dir/f
printf 'deep\n' >src/ro_dir/inner/g
unpriv_own src .
chmod 444 src/ro_dir/f src/ro_dir/inner/g
chmod 555 src/ro_dir/inner src/ro_dir

ucp_try_unpriv -r src dst
expect_ok
expect_err_empty
cmp_trees src dst
assert_mode dst/ro_dir 555
assert_mode dst/ro_dir/f 444
