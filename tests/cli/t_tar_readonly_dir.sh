#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# An archive whose directory is not writable cannot be replaced (it is
# written under a temporary name there and renamed): the error names the
# archive and says so (it named the temporary's mkostemp pattern, a file
# that never was), the old archive stays as it was, and standard output
# redirected into it writes it in place, as tar does. As a user: root
# writes into any directory. Written so into its own tree, the archive is
# left out of itself. An archive name near NAME_MAX is written too (the
# temporary's name is cut to fit).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

unpriv_setup
mkdir -p src/d ro
printf 'x\n' >src/d/a
printf 'old archive\n' >ro/a.tar
chmod 666 ro/a.tar
unpriv_own src
chmod 555 ro
ucp_try_unpriv --tar src ro/a.tar
expect_rc 1 "archive in a directory that is not writable"
expect_err_line "ucp: cannot create regular file 'ro/a.tar': Permission denied (it is written first as a temporary in its directory, then renamed)"
[ "$(cat ro/a.tar)" = "old archive" ] || fail "the old archive changed"
"${UNPRIV[@]}" "$UCP" --tar src - >ro/a.tar 2>"$T_ERR" ||
	fail "--tar to standard output, redirected in place: $(cat "$T_ERR")"
ucp_try --list ro/a.tar
expect_ok
grep -qx 'src/d/a' "$T_OUT" || fail "the archive written in place lacks src/d/a"

# Standard output redirected into a file of the tree being archived: the
# archive is left out of itself, as when it is written by name.
rm -rf src2
mkdir src2
printf 'y\n' >src2/b
ucp_cmd_out=$("$UCP" --tar src2 - 2>"$T_ERR" >src2/out.tar; echo $?)
[ "$ucp_cmd_out" = 0 ] || fail "--tar to standard output inside the source: $(cat "$T_ERR")"
ucp_try --list src2/out.tar
expect_ok
[ "$(LC_ALL=C sort "$T_OUT" | tr '\n' ' ')" = "src2/ src2/b " ] ||
	fail "the archive in its own tree holds: $(tr '\n' ' ' <"$T_OUT")"

# An archive whose name is 250 bytes long, near NAME_MAX: written (its
# temporary name, longer by 12 bytes, was too long a name: exit 1).
mkdir -p longname/src
printf 'x\n' >longname/src/a
long=$(printf 't%.0s' $(seq 246)).tar
(cd longname && "$UCP" --tar src "$long") 2>"$T_ERR" ||
	fail "--tar to a 250-byte name: $(cat "$T_ERR")"
ucp_try --list "longname/$long"
expect_ok
grep -qx 'src/a' "$T_OUT" || fail "the archive with a long name lacks src/a"
[ -z "$(find longname -name '.*.ucp-*')" ] || fail "a temporary was left"
