#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# A name inside a message's text is quoted as every name is (a quote
# written \', a backslash \\, a control byte \xNN), so that two names never
# read alike: the hard-link target an extraction misses, the archive the
# suffix warning names, an invalid UCP_ENGINE. They were put in as they
# are: 'it's', and a literal "\x01" printed as the byte 0x01 does.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v tar >/dev/null || skip "GNU tar is not installed"
mkdir m
printf 'data\n' >"m/it's"
ln "m/it's" m/link
printf 'data\n' >'m/back\x01'
ln 'm/back\x01' m/link2
tar -C m -cf hl.tar "it's" link 'back\x01' link2
tar --delete -f hl.tar "it's" 'back\x01'
ucp_try --untar hl.tar out
expect_rc 1
expect_err_line "ucp: cannot create hard link 'link': hard link target 'it\\'s' is not there"
expect_err_line "ucp: cannot create hard link 'link2': hard link target 'back\\\\x01' is not there"

printf 'f\n' >f
ucp_try --tar f "it's.tar.lz"
expect_ok
expect_err_line "ucp: warning: 'it\\'s.tar.lz': written uncompressed (ucp does not compress for '.lz'; --compress=ALGO chooses a compression)"

# (Without the run's own --engine, which leaves UCP_ENGINE unread.)
UCP_ENGINE="x'y" ucp_try_raw f g
expect_ok
expect_err_line "ucp: warning: ignoring invalid UCP_ENGINE 'x\\'y'"
