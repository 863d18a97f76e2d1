#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: all
# ucp -a on the edge-case tree (every type, odd modes, ns and pre-1970
# times, xattrs and ACLs, hard-link groups also of symlinks, sparse files,
# odd names) gives what cp -a gives, field by field, allocated blocks
# included, and the same bytes; as root, and again as an unprivileged user.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mk_edge_tree src
ucp_try -a src dst
expect_ok
cp -a src ref
edge_state ref >want
edge_state dst >got
diff -u want got >&2 || fail "ucp -a differs from cp -a (- cp, + ucp)"
(cd ref && find . -type f ! -name mode0000 -print0 | xargs -0 sha256sum) >sums
(cd dst && sha256sum -c --quiet ../sums) || fail "contents differ"
cmp ref/mode0000 dst/mode0000 || fail "mode0000 contents differ"

[ "$(id -u)" = 0 ] || exit 0
unpriv_setup
mk_edge_tree src
chmod 0644 src/mode0000 # not even its owner could read it
chmod -R u+w src 2>/dev/null || true
chown -R 65534:65534 src
chmod 0555 src/ro
ucp_try_unpriv -a src dst
expect_ok
"${UNPRIV[@]}" cp -a src ref
edge_state ref >want
edge_state dst >got
diff -u want got >&2 || fail "as a user, ucp -a differs from cp -a (- cp, + ucp)"
