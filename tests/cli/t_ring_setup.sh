#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# A worker's ring is set up when its first request needs it. When that
# fails (a test hook makes every setup fail with ENOMEM), the worker copies
# with syscalls instead: the copy, a --sync into an existing tree and a
# --sync into a new one are complete and exit 0, and -v says why; but
# --engine=uring stops, with why, exit 1. A ring that fails once
# running (io_uring_enter refused) stops the run with its message, and
# one for each file it left in flight (a partial one is never left
# unnamed), exit 1, and no temporary left; it does not wait forever for
# what will never complete. Debug builds (the hooks).
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

need_hooks
mk_many src 300
mk_file src/big $((3 << 20))
mk_file src/g1/mid 300000

WHY="a worker's ring could not be set up: not enough memory (ulimit -l, the memory cgroup, ulimit -v)"
NO_RING="ucp: io_uring engine unavailable: $WHY"
if [ "${UCP_MODE-}" = uring ]; then
	# --engine=uring, which promises io_uring for every file, stops
	# (it went on with syscalls without a word).
	UCP_FAULT=ring:1+:ENOMEM ucp_try -r src dst
	expect_rc 1
	expect_err_line "$NO_RING"
	[ "$(grep -c . "$T_ERR")" = 1 ] || { show_last; fail "said more than once"; }
else
	UCP_FAULT=ring:1+:ENOMEM ucp_try -r src dst
	expect_ok
	expect_err_empty
	cmp_trees src dst
	# -v says why, once (the default engine; --no-cache: no cached
	# shortcut, the ring is needed).
	if [ "${UCP_MODE-}" = default ]; then
		rm -rf dst
		UCP_FAULT=ring:1+:ENOMEM ucp_try -rv --no-cache src dst
		expect_ok
		expect_err_exact "ucp: io_uring unavailable ($WHY); using the thread engine"
		cmp_trees src dst
		# The summary names the engine that copied (it said io_uring).
		rm -rf dst
		UCP_FAULT=ring:1+:ENOMEM ucp_try -rv --no-cache --progress=json src dst
		expect_ok
		grep -q '"engine":"threads"' "$T_ERR" || { show_last; fail "the summary names another engine than threads"; }
		grep -q '"errno":12,' "$T_ERR" || { show_last; fail "the fallback's errno is not ENOMEM"; }
		cmp_trees src dst
	fi

	UCP_FAULT=ring:1+:ENOMEM ucp_try --sync src new
	expect_ok
	cmp_trees src new

	# An existing tree: every destination is looked at (the stat batches).
	mk_file src/g2/changed 7000
	UCP_FAULT=ring:1+:ENOMEM ucp_try --sync src new
	expect_ok
	cmp_trees src new
fi

# io_uring_enter refused once the run is going (the first call, the third
# and later): the copy stops, it does not hang.
for spec in enter:1+:EPERM enter:3+:EPERM; do
	rm -rf stopped mirror
	UCP_FAULT=$spec ucp_try --engine=uring -r src stopped
	expect_rc 1
	expect_err_line "ucp: io_uring failed: Operation not permitted; the copy stops"
	# (Once, whichever workers' rings failed: it was said by each.)
	[ "$(grep -c 'io_uring failed' "$T_ERR")" = 1 ] ||
		{ show_last; fail "$spec: the ring's failure said more than once"; }
	# Besides the ring's one message, only the files it left in flight,
	# each named once; every file there that is not whole is among them.
	[ -z "$(grep -v -x -e 'ucp: io_uring failed: Operation not permitted; the copy stops' \
		-e "ucp: cannot write 'stopped/.*': Operation not permitted" "$T_ERR")" ] ||
		{ show_last; fail "$spec: other messages than the ring's and its files'"; }
	while IFS= read -r f; do
		cmp -s "src/$f" "stopped/$f" && continue
		grep -qF "'stopped/$f'" "$T_ERR" || { show_last; fail "$spec: 'stopped/$f' is not whole and not named"; }
	done < <(cd stopped && find . -type f -printf '%P\n')
	assert_no_tmp stopped
	UCP_FAULT=$spec ucp_try --engine=uring --sync src mirror
	expect_rc 1
	expect_err_has "io_uring failed"
	cmp_subset src mirror
	cmp_subset src .mirror.ucp-partial
done

# io_uring_enter refused for the moment (EAGAIN), but on and on: tried
# again for some ten seconds, then the ring is taken for failed, as above
# (it spun for good, and no stop signal could end it: the stop's cancel
# never went in).
rm -rf stopped
# (Bounded here: without the bound it never ends.)
EXEC_PREFIX="timeout -k 5 60 ${EXEC_PREFIX-}" UCP_FAULT=enter:3+:EAGAIN \
	ucp_try --engine=uring -r src stopped
[ "$RC" != 124 ] && [ "$RC" != 137 ] || fail "a ring refused on and on: the run did not end"
expect_rc 1
expect_err_line "ucp: io_uring failed: Resource temporarily unavailable; the copy stops"
assert_no_tmp stopped

# Small files in flight when the ring fails (their open may have run):
# each is named. (Whether a file was in flight depends on the kernel's
# timing; a few rounds make a file left unnamed show up.)
mkdir -p small/sub
for i in 1 2 3 4 5 6; do
	printf "%s\n" "$i" >"small/f$i"
	printf "%s\n" "$i" >"small/sub/g$i"
done
ln small/f1 small/h1
for round in 1 2 3 4; do
	rm -rf sd
	UCP_FAULT=enter:3:EIO ucp_try --engine=uring -a small sd
	[ "$RC" = 1 ] || [ "$RC" = 0 ] || { show_last; fail "round $round: exit $RC"; }
	while IFS= read -r f; do
		cmp -s "small/$f" "sd/$f" && continue
		grep -qF "'sd/$f'" "$T_ERR" || { show_last; fail "round $round: 'sd/$f' is not whole and not named"; }
	done < <(cd sd && find . -type f -printf '%P\n')
done

# Into a directory others may write, -a makes each copy itself before its
# chain: one in flight when the ring fails is its own, and is removed, not
# left empty under its name.
for round in 1 2 3 4; do
	rm -rf od
	mkdir od
	chmod 0777 od
	UCP_FAULT=enter:2:EIO ucp_try --engine=uring -j 1 -aT small od
	[ "$RC" = 1 ] || [ "$RC" = 0 ] || { show_last; fail "0777, round $round: exit $RC"; }
	while IFS= read -r f; do
		cmp -s "small/$f" "od/$f" || { show_last; fail "0777, round $round: 'od/$f' is not whole"; }
	done < <(cd od && find . -type f -printf '%P\n')
done
