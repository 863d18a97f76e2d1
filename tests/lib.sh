# SPDX-License-Identifier: MIT
# Helpers sourced by every tests/cli/t_*.sh case: tree generators, tree
# comparison, and wrappers that run ucp and capture its status and output.
# shellcheck shell=bash

# Environment given by tests/cli/run.sh:
#   UCP          absolute path of the binary under test
#   TOP          repository root
#   UCP_ARGS     extra arguments put before the case's own (e.g. --engine=threads)
#   UCP_WRAP     command put in front of everything (e.g. tests/helpers/noiouring)
#   EXEC_PREFIX  command put in front of the binary (e.g. "valgrind -q")
: "${UCP:?UCP must name the binary under test}"
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# The seccomp helper used by the io_uring fallback cases.
NOIOURING=${NOIOURING:-$TOP/tests/helpers/noiouring}
# The fast tree generator of mk_many, the sparse-file comparison and the
# tree listing of cmp_trees.
MKMANY=${MKMANY:-$TOP/tests/helpers/mkmany}
SPARSECMP=${SPARSECMP:-$TOP/tests/helpers/sparsecmp}
TREESUM=${TREESUM:-$TOP/tests/helpers/treesum}

# Where run_ucp/ucp_try leave the output of the last run.
T_OUT=${T_OUT:-$PWD/ucp.stdout}
T_ERR=${T_ERR:-$PWD/ucp.stderr}

# shellcheck disable=SC2034 # used by the cases
TRY_LINE="Try 'ucp --help' for more information."

# ---- verdicts -------------------------------------------------------------

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# Print the captured output of the last run (for failure messages).
show_last() {
	printf -- '--- exit status: %s\n' "${RC-unset}" >&2
	printf -- '--- stdout:\n' >&2
	cat -v -- "$T_OUT" >&2 2>/dev/null || true
	printf -- '--- stderr:\n' >&2
	cat -v -- "$T_ERR" >&2 2>/dev/null || true
}

# ---- running ucp ----------------------------------------------------------

# Fill the array UCP_CMD with the full command line prefix:
# [UCP_WRAP...] [EXEC_PREFIX...] UCP [UCP_ARGS...]
# With "raw" as argument, UCP_WRAP and UCP_ARGS are left out (for cases that
# choose the engine and the wrapper themselves).
ucp_cmd() {
	local -a wrap=() prefix=() args=()
	if [ "${1-}" != raw ]; then
		read -r -a wrap <<<"${UCP_WRAP-}"
		read -r -a args <<<"${UCP_ARGS-}"
	fi
	read -r -a prefix <<<"${EXEC_PREFIX-}"
	UCP_CMD=("${wrap[@]}" "${prefix[@]}" "$UCP" "${args[@]}")
}

run_ucp() {
	local -a UCP_CMD
	ucp_cmd
	"${UCP_CMD[@]}" "$@"
}

# Like run_ucp without UCP_WRAP and UCP_ARGS.
run_ucp_raw() {
	local -a UCP_CMD
	ucp_cmd raw
	"${UCP_CMD[@]}" "$@"
}

# ucp_try ARG...: run ucp; stdout to $T_OUT, stderr to $T_ERR, status in $RC.
# Never aborts the calling script.
ucp_try() {
	RC=0
	run_ucp "$@" >"$T_OUT" 2>"$T_ERR" || RC=$?
}

# ucp_try_nofile N ARG...: ucp_try under a soft and hard limit of N open
# files (the shell's ulimit -n sets both; ucp raises its soft one to the
# hard one).
ucp_try_nofile() {
	local n=$1
	shift
	RC=0
	(
		ulimit -n "$n"
		run_ucp "$@"
	) >"$T_OUT" 2>"$T_ERR" || RC=$?
}

# ucp_try_raw ARG...: ucp_try without UCP_WRAP and UCP_ARGS.
ucp_try_raw() {
	RC=0
	run_ucp_raw "$@" >"$T_OUT" 2>"$T_ERR" || RC=$?
}

# ---- assertions on the last run ---------------------------------------------

expect_rc() {
	[ "$RC" = "$1" ] || {
		show_last
		fail "expected exit status $1, got $RC${2:+ ($2)}"
	}
}

# expect_ok: exit status 0 (a shortcut used after every plain copy).
expect_ok() {
	expect_rc 0
}

# expect_usage_error MESSAGE ARG...: ucp ARG... is refused with exit status
# 2, stderr is exactly MESSAGE and the try-help line, stdout is empty, and
# nothing was created below the current directory.
expect_usage_error() {
	local msg=$1 before
	shift
	before=$(find . -mindepth 1 ! -path "./${T_OUT##*/}" ! -path "./${T_ERR##*/}" -printf '%P\n' | sort)
	ucp_try "$@"
	expect_rc 2 "ucp $*"
	expect_err_exact "$msg" "$TRY_LINE"
	expect_out_empty
	[ "$(find . -mindepth 1 ! -path "./${T_OUT##*/}" ! -path "./${T_ERR##*/}" -printf '%P\n' | sort)" = "$before" ] ||
		fail "ucp $* created files"
}

# A line of stderr equal to the argument.
expect_err_line() {
	grep -qxF -- "$1" "$T_ERR" || {
		show_last
		fail "stderr lacks the line: $1"
	}
}

# stderr contains the string somewhere.
expect_err_has() {
	grep -qF -- "$1" "$T_ERR" || {
		show_last
		fail "stderr lacks: $1"
	}
}

expect_err_lacks() {
	if grep -qF -- "$1" "$T_ERR"; then
		show_last
		fail "stderr unexpectedly contains: $1"
	fi
}

# stderr is exactly the given lines.
expect_err_exact() {
	local want
	want=$(printf '%s\n' "$@")
	[ "$(cat -- "$T_ERR")" = "$want" ] || {
		show_last
		fail "stderr is not exactly: $want"
	}
}

expect_err_empty() {
	[ ! -s "$T_ERR" ] || {
		show_last
		fail "stderr should be empty"
	}
}

expect_out_empty() {
	[ ! -s "$T_OUT" ] || {
		show_last
		fail "stdout should be empty"
	}
}

expect_out_line() {
	grep -qxF -- "$1" "$T_OUT" || {
		show_last
		fail "stdout lacks the line: $1"
	}
}

# ---- assertions on files ----------------------------------------------------

# True when something (even a dangling symlink) exists at the path.
exists() {
	[ -e "$1" ] || [ -L "$1" ]
}

assert_absent() {
	local p
	for p in "$@"; do
		if exists "$p"; then
			fail "'$p' should not exist"
		fi
	done
}

assert_present() {
	local p
	for p in "$@"; do
		exists "$p" || fail "'$p' should exist"
	done
}

# assert_same_file A B: both regular files with identical bytes.
assert_same_file() {
	local f
	for f in "$1" "$2"; do
		if [ ! -f "$f" ] || [ -L "$f" ]; then
			fail "'$f' is not a regular file"
		fi
	done
	cmp -s -- "$1" "$2" || fail "'$2' differs from '$1'"
}

# assert_mode PATH OCTAL: permission bits as shown by stat -c %a.
assert_mode() {
	local got
	got=$(stat -c %a -- "$1")
	[ "$got" = "$2" ] || fail "'$1' has mode $got, expected $2"
}

# assert_no_tmp DIR: no temporary file of ucp left anywhere under DIR.
assert_no_tmp() {
	local left
	[ -d "$1" ] || return 0
	left=$(find "$1" -name '.ucp-*.tmp' -print | head -n 5)
	[ -z "$left" ] || fail "temporary files left under '$1': $left"
}

# mode_after_umask OCTAL: the mode a copy should have (bits & 0777 & ~umask).
mode_after_umask() {
	printf '%o' "$((8#$1 & 8#777 & ~8#$(umask)))"
}

# ---- tree generators --------------------------------------------------------

# Sizes that sit on page and chunk boundaries; multi-chunk files last.
SIZES="0 1 4095 4096 4097 1048577 3145745"

# mk_file PATH SIZE: a file of SIZE random bytes.
mk_file() {
	head -c "$2" /dev/urandom >"$1"
}

# mk_sizes DIR: one file per entry of $SIZES, named size_N.
mk_sizes() {
	local n
	mkdir -p -- "$1"
	for n in $SIZES; do
		mk_file "$1/size_$n" "$n"
	done
}

# mk_tree DIR: a tree with every kind of entry ucp copies: files of all
# $SIZES, odd names, nested and empty directories, symlinks and a FIFO.
mk_tree() {
	local d=$1
	mkdir -p -- "$d"
	mk_sizes "$d"
	printf 'spaces\n' >"$d/with  spaces "
	printf 'newline\n' >"$d/new"$'\n'"line"
	printf 'tab\n' >"$d/a"$'\t'"tab"
	printf 'dash\n' >"$d/-leading-dash"
	printf 'quote\n' >"$d/it's"
	printf 'latin1\n' >"$d/bad"$'\xff\xfe'"name"
	mkdir -p -- "$d/sub/deeper/deepest" "$d/empty_dir" "$d/"$'\xff'"dir"
	printf 'nested\n' >"$d/sub/nested"
	mk_file "$d/sub/deeper/deepest/leaf" 70000
	printf 'in odd dir\n' >"$d/"$'\xff'"dir/file"
	printf '#!/bin/sh\n' >"$d/exec"
	chmod 755 "$d/exec"
	printf 'private\n' >"$d/private"
	chmod 600 "$d/private"
	ln -s size_1 "$d/link_rel"
	ln -s ../size_4096 "$d/sub/link_up"
	ln -s sub "$d/link_dir"
	ln -s does/not/exist "$d/link_dangling"
	ln -s /etc/hostname "$d/link_abs"
	mkfifo "$d/fifo"
}

# mk_many DIR N: N small files spread over subdirectories of 100 entries
# (tests/helpers/mkmany: gI/fJ holds "file J", every 97th is empty).
mk_many() {
	"$MKMANY" "$1" "$2" || fail "mk_many: cannot build $2 files under '$1'"
}

# mk_deep DIR LEVELS [NAME]: LEVELS nested directories called NAME (default
# "d"), each holding a small file, built with relative steps so that the
# total path may exceed PATH_MAX.
mk_deep() {
	local d=$1 levels=$2 name=${3:-d} i
	mkdir -p -- "$d"
	(
		cd -- "$d" || exit 1
		for ((i = 1; i <= levels; i++)); do
			mkdir -- "$name" && cd -P -- "$name" || exit 1
			printf 'level %d\n' "$i" >f
		done
		mk_file leaf 5000
	) || fail "mk_deep: cannot build $levels levels under '$d'"
}

# ---- tree comparison --------------------------------------------------------

# cmp_trees A B: B must be a copy of A made by ucp without -p. Every entry
# must match in type, size, bytes, symlink target and mode (A's permission
# bits & ~umask, setuid/setgid dropped; directories keep the sticky bit, as
# with cp); nothing may be extra. One tests/helpers/treesum a tree.
cmp_trees() {
	local a=$1 b=$2 mask want got
	[ -d "$a" ] || fail "cmp_trees: '$a' is not a directory"
	[ -d "$b" ] || fail "cmp_trees: '$b' is not a directory"
	mask=$(printf '%o' "$((8#777 & ~8#$(umask)))")
	want=$("$TREESUM" -m "$mask" "$a") || fail "cannot scan '$a'"
	got=$("$TREESUM" "$b") || fail "cannot scan '$b'"
	[ "$want" = "$got" ] || {
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -n 20 >&2
		fail "'$b' is not a copy of '$a' (< expected, > found)"
	}
}

# cmp_subset A B: every entry present in B is in A with the same type, and
# every regular file in B is byte-identical to A's (for interrupted copies).
# No temporary files may be left in B.
cmp_subset() {
	local a=$1 b=$2 bad
	[ -d "$b" ] || return 0
	assert_no_tmp "$b"
	bad=$(awk -F '\t' '
		FILENAME == ARGV[1] { t[$1] = $2; s[$1] = $4; h[$1] = $6; next }
		!($1 in t) { print "unexpected entry in copy: " $1; exit }
		t[$1] != $2 { print "type differs: " $1; exit }
		$2 == "f" && (s[$1] != $4 || h[$1] != $6) {
			print "partial file under its final name: " $1; exit }' \
		<("$TREESUM" "$a") <("$TREESUM" "$b")) || fail "cannot compare '$a' and '$b'"
	[ -z "$bad" ] || fail "'$b': $bad"
}

# ---- environment probes -------------------------------------------------------

need_root() {
	[ "$(id -u)" = 0 ] || skip "${1:-needs root}"
}

# need_acl_xattr: setfacl and setfattr, and a file system here that takes
# POSIX ACLs and user attributes (probed on a file of the working directory).
need_acl_xattr() {
	command -v setfacl >/dev/null && command -v setfattr >/dev/null ||
		skip "setfacl or setfattr is not installed (acl, attr)"
	printf 'probe\n' >probe
	setfacl -m u:99:r probe 2>/dev/null && setfattr -n user.p -v 1 probe 2>/dev/null ||
		skip "this file system has no ACLs or user attributes"
}

# need_preload NAME: the test helper library tests/helpers/NAME.so, to be
# preloaded into the binary under test, in $PRELOAD; skips where it is not
# built, or where the binary links a sanitizer runtime dynamically (that
# one must come first: no preloading).
need_preload() {
	PRELOAD=$TOP/tests/helpers/$1.so
	[ -f "$PRELOAD" ] || skip "tests/helpers/$1.so not built"
	if ldd "$UCP" 2>/dev/null | grep -q 'lib[at]san'; then
		skip "the binary links a sanitizer runtime dynamically"
	fi
}

need_noiouring() {
	[ -x "$NOIOURING" ] || skip "seccomp helper '$NOIOURING' not built"
	local r=0
	"$NOIOURING" true || r=$?
	[ "$r" = 0 ] || skip "seccomp helper cannot install its filter here (status $r)"
}

# ---- running as an unprivileged user ------------------------------------------

# unpriv_setup: prepare to run ucp as an unprivileged user (uid/gid 65534
# when root, the current user otherwise). Copies the binary and the wrapper
# into a world-readable directory, makes UNPRIV_DIR/work (owned by that user)
# the current directory, and fills UNPRIV with the privilege-dropping prefix.
unpriv_setup() {
	local wrap rest
	UNPRIV=()
	if [ "$(id -u)" != 0 ]; then
		return 0
	fi
	command -v setpriv >/dev/null || skip "setpriv not installed"
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
		skip "cannot drop privileges with setpriv"
	UNPRIV_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ucp-unpriv.XXXXXX")
	trap 'chmod -R u+rwX -- "$UNPRIV_DIR" 2>/dev/null; rm -rf -- "$UNPRIV_DIR"' EXIT
	chmod 755 "$UNPRIV_DIR"
	cp -- "$UCP" "$UNPRIV_DIR/ucp"
	UCP=$UNPRIV_DIR/ucp
	if [ -n "${UCP_WRAP-}" ]; then
		read -r wrap rest <<<"$UCP_WRAP"
		cp -- "$wrap" "$UNPRIV_DIR/wrap"
		UCP_WRAP="$UNPRIV_DIR/wrap${rest:+ $rest}"
	fi
	chmod 755 "$UNPRIV_DIR"/*
	mkdir "$UNPRIV_DIR/work"
	chown 65534:65534 "$UNPRIV_DIR/work"
	cd "$UNPRIV_DIR/work" || fail "cannot enter '$UNPRIV_DIR/work'"
	setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$UCP" ||
		skip "the unprivileged user cannot run '$UCP'"
	UNPRIV=(setpriv --reuid=65534 --regid=65534 --clear-groups)
}

# unpriv_own PATH...: give the paths (recursively) to the unprivileged user.
# Do this before any chmod: chown clears setuid and setgid bits.
unpriv_own() {
	[ "$(id -u)" = 0 ] || return 0
	chown -R 65534:65534 -- "$@"
}

# ucp_try_unpriv ARG...: ucp_try as the unprivileged user.
ucp_try_unpriv() {
	local -a UCP_CMD
	ucp_cmd
	RC=0
	"${UNPRIV[@]}" "${UCP_CMD[@]}" "$@" >"$T_OUT" 2>"$T_ERR" || RC=$?
}

# ---- interrupting a copy --------------------------------------------------------

# need_hooks: the binary under test must carry the test hooks of developer
# builds (make DEVELOPER=1), which stop it at a known point of a copy.
need_hooks() {
	has_hooks ||
		skip "'$UCP' was built without test hooks (build with make DEVELOPER=1)"
}

# has_hooks: whether the binary under test carries them (for a test whose
# other parts run without).
has_hooks() {
	"$UCP" --version 2>/dev/null | grep -qx 'test hooks: on'
}

# proc_state PID: the state letter of PID (T stopped, Z ended), or "gone".
proc_state() {
	local st
	# (No PID, a wrapper's child that never was: /proc//stat is /proc/stat.)
	[ -n "$1" ] || { echo gone; return; }
	st=$(cat "/proc/$1/stat" 2>/dev/null) || { echo gone; return; }
	st=${st##*) }
	echo "${st%% *}"
}

# traced_stopped PID LOG: the pid of the process that strace, run under
# timeout as PID with -o LOG, stopped with its fault injection (a grandchild
# of PID), once strace has logged the group stop; empty after 30 s without
# one. The state alone cannot tell: a traced process is in tracing stop
# ("t") at each of its system calls too, so the stop is taken from the log.
traced_stopped() {
	local p
	for _ in $(seq 600); do
		if grep -q -- '--- stopped by SIGSTOP ---' "$2" 2>/dev/null; then
			p=$(pgrep -P "$(pgrep -P "$1" | head -n 1)" | head -n 1)
			[ -n "$p" ] && { echo "$p"; return 0; }
		fi
		sleep 0.05
	done
}

# wait_stopped PID: wait until PID is stopped (the test hook's SIGSTOP);
# fails when it ends first.
wait_stopped() {
	local st
	while :; do
		st=$(proc_state "$1")
		case $st in
		T | t) return 0 ;;
		Z | X | gone) fail "ucp ended before it reached its stop point" ;;
		esac
		sleep 0.01
	done
}

# child_of PID: the PID of PID's child (a wrapper's, such as timeout's),
# once there is one; nothing when PID ends first (a zombie included).
child_of() {
	local c
	while :; do
		c=$(pgrep -P "$1") && { echo "$c"; return 0; }
		case $(proc_state "$1") in Z | X | gone) return 0 ;; esac
		sleep 0.01
	done
}

# ring_stopped PID [WAIT]: wait until ucp PID, run with --engine=uring and
# a stop hook, is stopped there. One that ended first is waited for (WAIT:
# the process to wait for, a wrapper of it; else PID), and skips the test
# where io_uring is not usable here (its error says so), else fails it.
ring_stopped() {
	local rc
	while :; do
		case $(proc_state "$1") in
		T | t) return 0 ;;
		Z | X | gone)
			rc=0
			wait "${2:-$1}" || rc=$?
			grep -q "io_uring" "$T_ERR" && skip "io_uring is not usable here"
			fail "ucp ended before its stop point (status $rc)"
			;;
		esac
		sleep 0.01
	done
}

# wait_blocked PID NR FD [NR2...]: wait until a thread of PID sits in
# syscall NR (0 read, 1 write) on descriptor FD, or in any syscall NR2 on
# any descriptor (7 poll, 271 ppoll: x86-64 numbers) (a pipe that stays
# stalled, so the state holds once reached); fails when PID ends first.
wait_blocked() {
	local pid=$1 want t call nr
	want="$2 $(printf '0x%x' "$3")"
	shift 3
	while :; do
		for t in /proc/"$pid"/task/*/syscall; do
			call=$(cut -d' ' -f1-2 "$t" 2>/dev/null) || continue
			[ "$call" = "$want" ] && return 0
			for nr in "$@"; do
				[ "${call%% *}" = "$nr" ] && return 0
			done
		done
		case $(proc_state "$pid") in
		Z | X | gone) fail "ucp ended before it waited on the pipe" ;;
		esac
		sleep 0.01
	done
}

# stop_start N ARG...: start ucp ARG... in the background (SIGINT, SIGTERM,
# SIGHUP and SIGQUIT at their defaults), set to stop itself with SIGSTOP
# once N files are done, and wait until it has; its pid is in STOP_PID.
stop_start() {
	local n=$1
	local -a UCP_CMD
	shift
	need_hooks
	ucp_cmd
	# A non-interactive shell starts background jobs with SIGINT and
	# SIGQUIT ignored.
	UCP_TEST_STOP_AFTER=$n env --default-signal=INT,TERM,HUP,QUIT "${UCP_CMD[@]}" "$@" \
		>"$T_OUT" 2>"$T_ERR" &
	STOP_PID=$!
	wait_stopped "$STOP_PID"
}

# stop_resume: let the ucp that stop_start stopped go on, and wait for it;
# RC gets its exit status.
stop_resume() {
	kill -s CONT "$STOP_PID" 2>/dev/null || true
	RC=0
	wait "$STOP_PID" || RC=$?
}

# stop_run SIGNAL N ARG...: run ucp ARG..., stopped once N files are done;
# then send it SIGNAL, let it go on and wait for it; RC gets its status.
stop_run() {
	local sig=$1
	shift
	stop_start "$@"
	kill -s "$sig" "$STOP_PID"
	stop_resume
}

# interrupt_case SIGNAL STATUS: a large recursive copy gets SIGNAL in the
# middle (after 1,000 of its 10,002 files); check the exit STATUS, that no
# temporary file is left and that every file present is complete.
interrupt_case() {
	local sig=$1 want=$2
	mk_many src 10000
	mk_file src/big1 $((64 << 20))
	mk_file src/g0/big2 $((64 << 20))
	stop_run "$sig" 1000 -r src dst
	expect_rc "$want" "after SIG$sig"
	printf '%s entries copied\n' "$(find dst -mindepth 1 2>/dev/null | wc -l)"
	cmp_subset src dst
}

# ignored_case SIGNAL: after interrupt_case, the same copy started with
# SIGNAL ignored (nohup; a shell's background job for SIGINT) gets SIGNAL
# in the middle and goes on to copy the whole tree, exit 0.
ignored_case() {
	local sig=$1 pid
	local -a UCP_CMD
	rm -rf dst
	need_hooks
	ucp_cmd
	UCP_TEST_STOP_AFTER=1000 env --ignore-signal="$sig" "${UCP_CMD[@]}" -r src dst \
		>"$T_OUT" 2>"$T_ERR" &
	pid=$!
	wait_stopped "$pid"
	kill -s "$sig" "$pid"
	kill -CONT "$pid"
	RC=0
	wait "$pid" || RC=$?
	expect_ok "SIG$sig ignored"
	cmp_trees src dst
}

# ---- file systems ---------------------------------------------------------------

# mount_xfs DIR: make a 400 MiB XFS image and loop-mount it on DIR (which
# the test's EXIT trap unmounts); skips the test where that cannot be done.
mount_xfs() {
	[ "$(id -u)" = 0 ] || skip "needs root to loop-mount an XFS image"
	command -v mkfs.xfs >/dev/null || skip "mkfs.xfs not installed (package xfsprogs)"
	command -v filefrag >/dev/null || skip "filefrag not installed (package e2fsprogs)"
	truncate -s 400M xfs.img
	mkfs.xfs -q xfs.img || skip "mkfs.xfs failed"
	mkdir -p "$1"
	mount -o loop xfs.img "$1" 2>/dev/null || skip "cannot loop-mount here"
	# shellcheck disable=SC2064 # the directory is fixed now
	trap "umount '$1'" EXIT
}

# mount_ext4 DIR [MKFS_ARG...]: loop-mount a new 64 MiB ext4 image (with a
# journal; made with MKFS_ARGs too) on DIR, which the test's EXIT trap
# unmounts (and then does unpriv_setup's clean-up, which the trap
# replaces); skips the test where that cannot be done. On it a freed inode number is the next one given in its directory
# (the root file system here, without a journal, holds freed numbers back
# for a while, and where it does not is its allocator's choice).
mount_ext4() {
	[ "$(id -u)" = 0 ] || skip "needs root to loop-mount an ext4 image"
	command -v mkfs.ext4 >/dev/null || skip "mkfs.ext4 not installed (package e2fsprogs)"
	truncate -s 64M ext4.img
	mkfs.ext4 -q -F "${@:2}" ext4.img >/dev/null 2>&1 || skip "mkfs.ext4 failed"
	mkdir -p "$1"
	mount -o loop ext4.img "$1" 2>/dev/null || skip "cannot loop-mount here"
	EXT4_DIR=$(cd "$1" && pwd)
	# shellcheck disable=SC2016 # expanded when the trap runs
	trap 'cd / && umount "$EXT4_DIR"; [ -z "${UNPRIV_DIR-}" ] || { chmod -R u+rwX -- "$UNPRIV_DIR" 2>/dev/null; rm -rf -- "$UNPRIV_DIR"; }' EXIT
}

# mount_nocase DIR: loop-mount on DIR a small file system that does not tell
# the case of names apart (exFAT, in the kernel or through FUSE, else FAT),
# which the test's EXIT trap unmounts; skips the test where none can be.
mount_nocase() {
	local loop
	[ "$(id -u)" = 0 ] || skip "needs root to loop-mount a file system"
	mkdir -p "$1"
	truncate -s 64M nocase.img
	if command -v mkfs.exfat >/dev/null && mkfs.exfat nocase.img >/dev/null 2>&1; then
		if mount -t exfat -o loop nocase.img "$1" 2>/dev/null; then
			# shellcheck disable=SC2064 # the directory is fixed now
			trap "umount '$1'" EXIT
			return
		fi
		if command -v mount.exfat-fuse >/dev/null && [ -c /dev/fuse ] &&
			loop=$(losetup -f --show nocase.img 2>/dev/null); then
			if mount.exfat-fuse "$loop" "$1" >/dev/null 2>&1; then
				# shellcheck disable=SC2064 # fixed now
				# (A FUSE daemon that died leaves the mount busy:
				# detached lazily, so that no test leaves one.)
				trap "umount '$1' 2>/dev/null || umount -l '$1'; losetup -d '$loop'" EXIT
				return
			fi
			losetup -d "$loop"
		fi
	fi
	if command -v mkfs.vfat >/dev/null && mkfs.vfat nocase.img >/dev/null 2>&1 &&
		mount -t vfat -o loop nocase.img "$1" 2>/dev/null; then
		# shellcheck disable=SC2064 # the directory is fixed now
		trap "umount '$1'" EXIT
		return
	fi
	skip "no case-insensitive file system (exFAT, FAT) can be mounted here"
}

# ---- the page cache -------------------------------------------------------------

# Skip unless files' pages in the page cache can be counted (fincore) and
# the test directory is not a tmpfs (whose pages are the files).
need_page_cache() {
	command -v fincore >/dev/null || skip "fincore (util-linux) not installed"
	[ "$(stat -f -c %T .)" != tmpfs ] ||
		skip "the test directory is on tmpfs, whose pages are the files"
}

# Bytes of FILE in the page cache.
resident() {
	fincore --bytes --noheadings --output RES "$1" | tr -d ' '
}

# Drop FILE, written back already, from the page cache: on disk only then
# (skips where that cannot be done).
uncache() {
	dd if="$1" iflag=nocache count=0 status=none
	[ "$(resident "$1")" -le $((1024 * 1024)) ] ||
		skip "cannot drop '$1' from the page cache here"
}

# ---- sync mode ----------------------------------------------------------------

# tree_state DIR: one line per entry below DIR (sorted, NUL-safe names
# quoted by find): path, type, mode, owner, group, size, mtime to the
# nanosecond, symlink target and, for files, the SHA-256 of the contents;
# then the extended attributes and ACLs of every entry but symbolic links
# (getfattr, where installed: package attr). Two trees are exact mirrors
# when their states are equal.
tree_state() {
	(
		cd "$1" || exit 1
		# Directory sizes depend on the history of the directory: not kept.
		find . -mindepth 1 -printf '%y\t%m\t%U\t%G\t%s\t%T@\t%l\t%P\n' |
			awk -F '\t' 'BEGIN { OFS = "\t" } $1 == "d" { $5 = "-" } { print }' |
			LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum
		# Extended attributes and ACLs (those this user can read).
		if command -v getfattr >/dev/null; then
			find . -mindepth 1 ! -type l -print0 | LC_ALL=C sort -z |
				xargs -0r getfattr -h -d -m - -e hex 2>/dev/null
		fi
	)
}

# expect_mirror SRC DST: DST is an exact mirror of SRC (also directory
# times), and no temporary file is left.
expect_mirror() {
	local a b
	a=$(tree_state "$1") || fail "cannot scan '$1'"
	b=$(tree_state "$2") || fail "cannot scan '$2'"
	if [ "$a" != "$b" ]; then
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 20 >&2
		fail "'$2' is not a mirror of '$1'"
	fi
	assert_no_tmp "$2"
}

# inode_state DIR: inode number and ctime of every entry (what a run that
# changes nothing must leave alone).
inode_state() {
	(cd "$1" && find . -printf '%P %i %C@\n' | LC_ALL=C sort)
}

# ---- the edge-case tree ---------------------------------------------------------

# mk_edge_tree DIR: every entry type and attribute -a promises to keep:
# modes 0000, 0755, 1777, setuid and setgid, a setgid and a read-only
# directory, sub-second and pre-1970 times, user xattrs and ACLs (where the
# file system has them), hard-link groups across directories (also of a
# symlink), sparse files with holes at the start, the middle and the end,
# and names with a newline and invalid UTF-8.
mk_edge_tree() {
	local d=$1
	mkdir -p "$d/a/b" "$d/c" "$d/sg" "$d/ro" "$d/sticky" "$d/"$'new\nline dir'
	printf 'one\n' >"$d/a/f"
	ln "$d/a/f" "$d/c/f_link"
	ln "$d/a/f" "$d/a/b/f_again"
	ln -s ../a/f "$d/c/sym"
	ln "$d/c/sym" "$d/a/sym_hard"
	mkfifo "$d/fifo"
	printf 'none\n' >"$d/mode0000"
	printf 'exec\n' >"$d/mode0755"
	printf 'suid\n' >"$d/suid"
	printf 'name\n' >"$d/"$'new\nline'
	printf 'bytes\n' >"$d/bad"$'\xff\xfe'"utf8"
	printf 'in\n' >"$d/"$'new\nline dir'"/x"
	printf 'ro\n' >"$d/ro/f"
	printf 'sg\n' >"$d/sg/f"
	# Sparse: a hole at the start, one in the middle, one at the end.
	truncate -s 1M "$d/hole_start" && printf 'end' >>"$d/hole_start"
	printf 'start' >"$d/hole_middle" && truncate -s 2M "$d/hole_middle" &&
		printf 'end' >>"$d/hole_middle"
	printf 'start' >"$d/hole_end" && truncate -s 3M "$d/hole_end"
	if command -v setfattr >/dev/null; then
		setfattr -n user.color -v blue "$d/a/f" 2>/dev/null || true
		setfattr -n user.dir -v yes "$d/c" 2>/dev/null || true
	fi
	if command -v setfacl >/dev/null; then
		setfacl -m u:65534:r-- "$d/mode0755" 2>/dev/null || true
		setfacl -d -m u:65534:rwx "$d/sg" 2>/dev/null || true
	fi
	touch -d '1969-07-20 20:17:40.123456789 UTC' "$d/a/f"
	touch -d '2001-02-03 04:05:06.5 UTC' "$d/mode0000" "$d/hole_middle"
	touch -h -d '1999-09-09 09:09:09.9 UTC' "$d/c/sym"
	chmod 0000 "$d/mode0000"
	chmod 0755 "$d/mode0755"
	chmod 4755 "$d/suid"
	chmod 2775 "$d/sg"
	chmod 1777 "$d/sticky"
	chmod 0555 "$d/ro"
	touch -d '2015-05-05 05:05:05.555555555 UTC' "$d/ro" "$d/sg" "$d/c" "$d"
}

# edge_state DIR: what -a must reproduce, one line per entry: type, mode,
# owner, group, mtime (ns), size, link count, symlink target, allocated
# 512-byte blocks of sparse files, xattrs and ACLs; then the hard-link
# groups as sorted name lists.
edge_state() {
	(
		cd "$1" || exit 1
		find . -printf '%p|%y|%m|%U|%G|%T@|%s|%n|%l\n' | LC_ALL=C sort
		find . -name 'hole_*' -printf '%p blocks %b\n' | LC_ALL=C sort
		if command -v getfattr >/dev/null; then
			getfattr -R -h -d -m - -e hex . 2>/dev/null | grep -v '^$'
		fi
		find . ! -type d -printf '%i %p\n' | LC_ALL=C sort -k1,1n -k2 |
			awk '$1 != last { if (g) print g; g = ""; last = $1 }
			     { g = g " " $2 } END { if (g) print g }' | LC_ALL=C sort
	)
}
