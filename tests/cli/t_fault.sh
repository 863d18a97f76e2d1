#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# Injected faults (UCP_FAULT, debug builds) at each step of a copy, in the
# ring engine and the thread engine: every failure is reported once per
# file with the operation, the path and the errno's text, and exits 1; a
# full disk stops the run; a transient failure (EINTR, short reads and
# writes) is retried and the copy is exact, exit 0, and EAGAIN or ECANCELED
# are retried or reported, never lost. Whatever happens, no
# temporary is left, every file under its final name is whole, and the
# files the fault did not touch are all copied. Also --sync (its rename),
# --tar and --untar.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"
need_hooks

mkdir -p src/sub
for i in 1 2 3 4 5 6; do
	head -c $((5000 + i)) /dev/urandom >"src/small_$i"
done
head -c $((3 * 1024 * 1024 + 1)) /dev/urandom >src/big
head -c 7000 /dev/urandom >src/sub/a
head -c 9000 /dev/urandom >src/sub/b
ln -s small_1 src/link
ln src/small_2 src/hard
files=$(cd src && find . ! -type d | sort)

# The text of an errno, as ucp prints it.
errtext() {
	case $1 in
	EIO) echo "Input/output error" ;;
	EACCES) echo "Permission denied" ;;
	EPERM) echo "Operation not permitted" ;;
	ENOSPC) echo "No space left on device" ;;
	EDQUOT) echo "Disk quota exceeded" ;;
	EAGAIN) echo "Resource temporarily unavailable" ;;
	ECANCELED) echo "Operation canceled" ;;
	*) fail "errtext: $1" ;;
	esac
}

# check SPEC CLASS SRC DST: the run of ucp just made with UCP_FAULT=SPEC.
# CLASS: ok (retried: an exact copy), fail (exit 1: the files named are
# missing, all others copied), fatal (exit 1: stopped, nothing torn), or
# either (ok or fail: a transient errno the syscall path reports).
check() {
	local spec=$1 class=$2 s=$3 d=$4 err what named f
	what=${spec##*:}
	assert_no_tmp "$d"
	cmp_subset "$s" "$d"
	if [ "$class" = either ]; then
		class=fail
		[ "$RC" = 0 ] && class=ok
	fi
	if [ "$class" = ok ]; then
		expect_rc 0 "UCP_FAULT=$spec"
		expect_err_empty
		cmp_trees "$s" "$d"
		return
	fi
	expect_rc 1 "UCP_FAULT=$spec"
	err=$(errtext "$what")
	# Every message: "ucp: cannot OP 'PATH': TEXT"; a stop (fatal) ends
	# with the line that says the rest was left out.
	local stopped="ucp: the run stopped there: what was not done by then was left out"
	while IFS= read -r line; do
		[ "$class" = fatal ] && [ "$line" = "$stopped" ] && continue
		[[ $line == "ucp: cannot "*"'"*"': $err" ]] ||
			fail "UCP_FAULT=$spec: unexpected message: $line"
	done <"$T_ERR"
	[ -s "$T_ERR" ] || fail "UCP_FAULT=$spec: exit 1 without a message"
	if [ "$class" = fatal ]; then
		[ "$(tail -n 1 "$T_ERR")" = "$stopped" ] ||
			fail "UCP_FAULT=$spec: the last line does not say the run stopped: $(cat "$T_ERR")"
		return
	fi
	named=$(sed -n "s/^ucp: cannot [^']*'\([^']*\)'.*/\1/p" "$T_ERR")
	for f in $files; do
		f=${f#./}
		grep -qx -e "$s/$f" -e "$d/$f" <<<"$named" && continue
		# (A directory that failed takes its files with it.)
		grep -q -e "^$d/${f%%/*}\$" <<<"$named" && continue
		[ -e "$d/$f" ] || [ -L "$d/$f" ] ||
			fail "UCP_FAULT=$spec: '$f' was not copied, and no error names it"
	done
}

# run ENGINE SPEC CLASS ARGS...: copy src to a fresh dst under the fault.
run() {
	local engine=$1 spec=$2 class=$3
	shift 3
	rm -rf dst
	RC=0
	UCP_FAULT=$spec run_ucp --engine="$engine" -j 1 "$@" src dst \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
	check "$spec" "$class" src dst
}

for engine in uring threads; do
	# The steps of every file, with read/write (no copy_file_range).
	for spec in create:2:EACCES open:2:EIO stat:2:EIO read:1:EIO \
		read:3:EIO write:1:EIO write:4:EIO close:1:EIO mkdir:2:EIO \
		symlink:1:EIO; do
		run "$engine" "$spec" fail -r --reflink=never
	done
	run "$engine" cfr:1:EIO fail -r
	# -a: owner, mode and times; hard links; --sync --fsync.
	run "$engine" meta:2:EPERM fail -a --reflink=never
	run "$engine" link:1:EIO fail -a --reflink=never
	run "$engine" fsync:1:EIO fail --sync --fsync --reflink=never
	grep -q "^ucp: cannot flush to disk '" "$T_ERR" ||
		fail "$engine: a failed fsync is not said as one: $(cat "$T_ERR")"
	# A full disk or quota stops the run.
	run "$engine" write:2:ENOSPC fatal -r --reflink=never
	run "$engine" create:3:EDQUOT fatal -r --reflink=never
	run "$engine" cfr:1:ENOSPC fatal -r
	# Transient: retried, and the copy is exact.
	for spec in read:1:EINTR read:2:EINTR write:1:EINTR write:3:EINTR \
		read:1:short read:3:short write:1:short write:2:short \
		read:2+:short write:2+:short; do
		run "$engine" "$spec" ok -r --reflink=never
	done
	# (ECANCELED: the ring redoes a cancelled chain; from a syscall it
	# is an error, never taken for the run being interrupted.)
	for spec in read:1:EAGAIN write:1:EAGAIN read:1:ECANCELED \
		write:2:ECANCELED; do
		run "$engine" "$spec" either -r --reflink=never
	done
	# EAGAIN on and on (the big file's chunks on the ring): an error in
	# the end, as read(2)'s at once; it was read again for good.
	# (Bounded here: without the bound it never ends.)
	for spec in read:2+:EAGAIN write:2+:EAGAIN; do
		EXEC_PREFIX="timeout -k 5 120 ${EXEC_PREFIX-}" \
			run "$engine" "$spec" fail -r --reflink=never
	done
done

# --sync: a file whose temporary cannot take its name keeps the old copy.
rm -rf mirror
ucp_try --sync src mirror
expect_ok
cp -a mirror before
for f in small_3 small_4 sub/a; do
	head -c 6000 /dev/urandom >"src/$f"
done
for engine in uring threads; do
	rm -rf m2 && cp -a before m2
	RC=0
	UCP_FAULT=rename:1:EIO run_ucp --engine="$engine" -j 1 --sync src m2 \
		>"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 1 "--sync with a failing rename"
	expect_err_has "Input/output error"
	assert_no_tmp m2
	n=0
	for f in small_3 small_4 sub/a; do
		if cmp -s "src/$f" "m2/$f"; then
			n=$((n + 1))
		else
			cmp -s "before/$f" "m2/$f" || fail "--sync: '$f' is torn"
		fi
	done
	[ "$n" = 2 ] || fail "--sync: $n of 3 changed files were updated, expected 2"
done

# --tar: a failing write leaves no archive; a failing read names the file.
for spec in write:1:EIO write:2:ENOSPC; do
	RC=0
	UCP_FAULT=$spec run_ucp --tar src out.tar >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 1 "--tar with UCP_FAULT=$spec"
	assert_absent out.tar
	[ -z "$(find . -maxdepth 1 -name 'out.tar.*')" ] ||
		fail "--tar left a temporary archive"
done
# Closing the archive fails (a write-back error): the close is named, not
# a rename (none was tried), and no archive or temporary is left.
for spec in close:1:EIO rename:1:EIO; do
	RC=0
	UCP_FAULT=$spec run_ucp --tar src out.tar >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 1 "--tar with UCP_FAULT=$spec"
	case $spec in
	close*) expect_err_line "ucp: cannot close 'out.tar': Input/output error" ;;
	*) expect_err_line "ucp: cannot rename into 'out.tar': Input/output error" ;;
	esac
	assert_absent out.tar
	[ -z "$(find . -maxdepth 1 -name '.out.tar*' -o -maxdepth 1 -name 'out.tar.*')" ] ||
		fail "--tar left a temporary archive"
done
RC=0
UCP_FAULT=read:1:EIO run_ucp --tar src out.tar >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 1 "--tar with a failing read"
expect_err_has "'src/"
expect_err_has "Input/output error"

# --untar: a member that cannot be made is named, the others extracted.
ucp_try --tar src good.tar
expect_ok
for spec in create:2:EACCES write:1:EIO close:1:EIO; do
	rm -rf x
	RC=0
	UCP_FAULT=$spec run_ucp --untar good.tar x >"$T_OUT" 2>"$T_ERR" || RC=$?
	expect_rc 1 "--untar with UCP_FAULT=$spec"
	n=$(grep -c "^ucp: " "$T_ERR")
	[ "$n" = 1 ] || fail "--untar with UCP_FAULT=$spec: $n messages"
	assert_no_tmp x
	cmp_subset src x/src
	have=$(cd x/src && find . -type f | wc -l)
	want=$(cd src && find . -type f | wc -l)
	[ "$have" = $((want - 1)) ] ||
		fail "--untar with UCP_FAULT=$spec: $have of $want files, expected all but one"
done

# A spec ucp cannot read is a usage error, not a silent run without faults.
RC=0
UCP_FAULT=nosuchop:1:EIO run_ucp -r src bad >"$T_OUT" 2>"$T_ERR" || RC=$?
expect_rc 2 "an unreadable UCP_FAULT"
expect_err_has "UCP_FAULT"
