#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# --tar and a file whose data cannot be read once its header is written
# (a big file, streamed: a test hook fails its read): the member is not
# padded with zeros into a valid-looking one; the archive is abandoned
# (no file; through a pipe, no end), exit 1, and a reader fails on it
# instead of extracting zeros. Debug builds (the hook).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mkdir t
head -c 3000000 /dev/urandom >t/big

UCP_FAULT=read:1:EIO ucp_try --tar t a.tar
expect_rc 1
expect_err_line "ucp: cannot read 't/big': Input/output error"
expect_err_has "the archive is abandoned"
assert_absent a.tar
assert_no_tmp .

# Through a pipe: the reader fails, and leaves no file of zeros.
declare -a UCP_CMD
ucp_cmd
RC=0
{ UCP_FAULT=read:1:EIO "${UCP_CMD[@]}" --tar t - 2>tar.err || echo "tar=$?" >tar.rc; } |
	"${UCP_CMD[@]}" --untar - out 2>untar.err || RC=$?
[ "$(cat tar.rc 2>/dev/null)" = tar=1 ] || fail "--tar to a pipe did not exit 1: $(cat tar.err)"
[ "$RC" = 1 ] || fail "--untar of the abandoned stream exited $RC: $(cat untar.err)"
if [ -e out/t/big ] && ! cmp -s out/t/big t/big; then
	fail "--untar left a member that is not the file"
fi

# Abandoned where the members written end on a block boundary (which may
# happen, whatever the sizes, where the writer flushed), the stream would
# read as whole: it ends with two blocks that are no header (one at the
# very end GNU tar and libarchive pass over), so that both fail on it.
UCP_FAULT=read:1:EIO "${UCP_CMD[@]}" --tar t - >cut.tar 2>/dev/null || true
[ "$(stat -c %s cut.tar)" -ge 1024 ] &&
	[ "$(tail -c 1024 cut.tar | od -An -v -tx1 | tr -d ' \n' | tr -d f)" = "" ] ||
	fail "the abandoned stream does not end with two blocks of 0xff"
if command -v tar >/dev/null; then
	! tar -tf cut.tar >/dev/null 2>&1 || fail "GNU tar read the abandoned stream without an error"
fi
