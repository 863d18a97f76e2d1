#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Several --link-dest beside rsync's: the same snapshots are made with
# rsync -a and ucp --sync, and in the new one each file must be a hard link
# into the same earlier snapshot (the first DIR, in the order given, that
# holds a twin with the source's size, time, mode and owner) or a copy of
# its own, as rsync made it; the trees must be alike. A DIR that does not
# exist is warned about, as rsync does, and 21 are a usage error for both.
# --reflink-dest takes several DIRs the same way.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v rsync >/dev/null 2>&1 || skip "rsync is not installed"

# As in t_sync_rsync_filter: directory times are left out, the rsync here
# does not keep them on a local copy.
state() {
	tree_state "$1" | awk -F '\t' 'BEGIN { OFS = "\t" } $1 == "d" { $6 = "-" } { print }' | LC_ALL=C sort
}

# links TOP SNAP: for each file of TOP/SNAP, the earlier snapshot it is a
# hard link into (by inode), or "own".
links() {
	local top=$1 snap=$2 f s where
	(cd "$top/$snap" && find . -type f -printf '%P\n' | LC_ALL=C sort) |
		while IFS= read -r f; do
			where=own
			for s in 1 2 3; do
				[ "$s" != "$snap" ] && [ -e "$top/$s/$f" ] &&
					[ "$top/$s/$f" -ef "$top/$snap/$f" ] && where=$s && break
			done
			printf '%s %s\n' "$f" "$where"
		done
}

mkdir -p src/d r u
for f in a b c d/e d/f; do
	printf '%s\n' "$f" >"src/$f"
done
touch -d '2021-01-01 00:00:00' src/a src/b src/c src/d/e src/d/f

# Snapshot 1: everything as it is.
rsync -a src/ r/1/
ucp_try --sync src/ u/1/
expect_ok
# Snapshot 2: b and d/e changed (and so new in 2 only).
printf 'b, second version\n' >src/b
printf 'e, second version\n' >src/d/e
touch -d '2022-02-02 00:00:00' src/b src/d/e
rsync -a src/ r/2/
ucp_try --sync src/ u/2/
expect_ok
# Snapshot 3: a's mode changes (no earlier twin has it: a copy), c
# changes, the rest is found in 1 or 2; 2 is given first, then a missing
# DIR, then 1.
chmod 600 src/a
printf 'c, third version\n' >src/c
rrc=0
rsync -a --link-dest=../2 --link-dest=../none --link-dest=../1 src/ r/3/ \
	>rsync.err 2>&1 || rrc=$?
[ "$rrc" = 0 ] || { cat rsync.err >&2; fail "rsync --link-dest failed"; }
grep -qF -- '--link-dest arg does not exist:' rsync.err ||
	fail "rsync did not warn about the missing DIR"
ucp_try --sync --link-dest=../2 --link-dest=../none --link-dest=../1 src/ u/3/
expect_ok
expect_err_line "ucp: warning: --link-dest arg does not exist: '../none'"
[ "$(state r/3)" = "$(state u/3)" ] || {
	diff <(state r/3) <(state u/3) >&2
	fail "snapshot 3 differs from rsync's"
}
want=$(links r 3)
got=$(links u 3)
[ "$want" = "$got" ] || {
	diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") >&2
	fail "snapshot 3 links differ from rsync's (< rsync, > ucp)"
}
# The order matters: with 1 first, unchanged files link into 1.
rsync -a --link-dest="$PWD/r/1" --link-dest="$PWD/r/2" src/ r/4/
ucp_try --sync --link-dest="$PWD/u/1" --link-dest="$PWD/u/2" src/ u/4/
expect_ok
for f in d/f b; do
	[ "$(cd r && [ 4/$f -ef 1/$f ] && echo 1)" = "$(cd u && [ 4/$f -ef 1/$f ] && echo 1)" ] ||
		fail "$f: linked elsewhere than rsync did"
done
[ u/4/d/f -ef u/1/d/f ] || fail "d/f is not linked into the first DIR"
[ u/4/b -ef u/2/b ] || fail "b is not linked into the DIR that has its twin"

# 20 DIRs are taken, 21 are a usage error for both.
args=()
for _ in $(seq 20); do
	args+=(--link-dest=../1)
done
ucp_try --sync "${args[@]}" src/ u/5/
expect_ok
args+=(--link-dest=../1)
rrc=0
rsync -a "${args[@]}" src/ r/6/ >rsync.err 2>&1 || rrc=$?
[ "$rrc" = 1 ] || fail "rsync took 21 --link-dest ($rrc)"
grep -qF 'at most 20 --link-dest args may be specified' rsync.err ||
	fail "rsync said otherwise: $(cat rsync.err)"
expect_usage_error "ucp: at most 20 --link-dest args may be specified" \
	--sync "${args[@]}" src/ u/6/

# --reflink-dest: several DIRs and the same warning; without a file system
# that clones, the files are copies, and the tree a mirror.
ucp_try --sync --reflink-dest=../none --reflink-dest=../1 src/ u/7/
expect_ok
expect_err_line "ucp: warning: --reflink-dest arg does not exist: '../none'"
expect_mirror src u/7
expect_usage_error "ucp: choose one of --link-dest and --reflink-dest" \
	--sync --link-dest=../1 --reflink-dest=../2 src/ u/8/
