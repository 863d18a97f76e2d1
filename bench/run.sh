#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench/run.sh: time ucp against the copy tools people would otherwise use,
# on generated datasets (see bench/README.md in the shared docs for the
# datasets and the method). The small and mixed datasets are also archived
# and extracted with ucp --tar/--untar, tar and bsdtar, and piped.
#
# Usage: bench/run.sh [OPTION]...
#   --quick            1 run per tool, datasets at scale 0.05
#   --datasets "LIST"  any of: small mixed large sparse (default: all four)
#   --runs N           timed runs per tool, median reported (default 3)
#   --scale F          dataset scale (default 1, or 0.05 with --quick)
#   --dir DIR          work directory for sources, destinations and trash
#                      (default $BENCH_DIR or /var/tmp, + /ucp-bench); the
#                      destinations live on the same file system as sources
#   --tmpfs DIR        also time every tool with destinations on the tmpfs
#                      mounted at DIR (e.g. /dev/shm)
#   --cold             also drop the page cache before each timed run and
#                      include a final sync in the timing (root only)
#   --keep             keep the generated sources for the next run
#   --rss "N..."       file counts of the trees for the memory check
#                      (default "10000 1000000", "10000" with --quick)
#   --ucp PATH         binary to benchmark (default ./ucp; env UCP)
#   --gen PATH         dataset generator (default bench/gen; env GEN)
#   --memrate PATH     in-memory rate helper (default bench/memrate; env
#                      MEMRATE)
#
# Nothing is built here: `make bench` builds ./ucp and bench/gen first.
# Requires /usr/bin/time (GNU time; Debian/Ubuntu: apt-get install time),
# diff, find, cp, tar; strace and rsync are used when present, as are
# bsdtar, xcp, fcp, cpz and wcp.
#
# For each dataset: generate it once (deterministic), read it once so the
# cache is hot, make one untimed warm-up copy, then for each run time every
# tool into a fresh destination (`sync` first, dirty pages let settle, the
# memory state logged), the tools interleaved (A B C, A B C, ...). `cp -r` is timed first and
# again last in each run ("cp -r (end)") to show drift. Old destinations
# are renamed into a trash directory rather than deleted between timed runs
# (a mass delete slows ext4's inode allocator for minutes); the trash is
# removed at the end, or earlier if free space or inodes run short; the
# files of a discarded copy are dropped from the page cache first
# (bench/evict), so that no tool pays for reclaiming another's copy.
# The first run of each tool is verified (content with diff -r, plus type,
# mode and symlink targets; mtimes too for the tools that preserve them).
# Syscalls per file come from one more untimed run under `strace -f -c`.
# Finally ucp's peak RSS is measured on a 10,000-file tree and, without
# --quick, on a 1,000,000-file tree, to check that memory stays bounded.
#
# Machine limits, measured in the same run for the large dataset: the
# in-memory copy rate (bench/memrate: the dataset's hot files copied by as
# many streams as CPUs, each file by one copy_file_range loop, or by a
# read/write loop with a 1 MiB buffer: the bytes the tools move, and the
# write-back they start, with no tool around them; and copy_file_range by
# one stream, what copying one file at a time can reach; one of each per
# round, interleaved with the tools), and with fio
# installed the device's concurrent read+write throughput (one sequential
# O_DIRECT reader and one writer at once, the writer's final fsync timed
# with it: the least of the two is the device copy rate the issue's cold
# floor is stated in; on a virtual disk whose host caches writes, buffered
# copies timed to their final sync beat it, as measured here, so it is a
# yardstick rather than a ceiling). The large dataset's rates are then
# printed as ratios to these limits.
#
# Results are printed and also written to bench/out/ (env BENCH_OUT).
#
# Columns: median s = median wall time; min-max s = its spread; files/s
# and GiB/s use the number of non-directory entries and the apparent size
# of the regular files; CPU s = median user+sys; RSS MiB = largest peak
# RSS of any process of the tool; sys/file = syscalls per file; vs cp =
# (cp -r time) / (tool time), > 1 means faster than cp -r; vs best =
# (fastest non-ucp tool) / (tool time); alloc MiB = disk space used by
# the copy (shows hole preservation).

set -euo pipefail
export LC_ALL=C
umask 022

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UCP=${UCP:-$root/ucp}
GEN=${GEN:-$root/bench/gen}
EVICT=${EVICT:-$root/bench/evict}
MEMRATE=${MEMRATE:-$root/bench/memrate}
out_dir=${BENCH_OUT:-$root/bench/out}

quick=0
cold=0
keep=0
datasets="small mixed large sparse"
runs=""
scale=""
work=""
tmpfs=""
rss_counts=""

die() {
	printf 'run.sh: %s\n' "$*" >&2
	exit 1
}

note() {
	printf 'run.sh: [%s] %s\n' "$(date +%T)" "$*" >&2
}

usage() {
	sed -n '4,/^# Nothing is built/{/^# Nothing is built/d; s/^# \{0,1\}//p; }' "${BASH_SOURCE[0]}"
	exit "${1:-0}"
}

while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--cold) cold=1 ;;
	--keep) keep=1 ;;
	--datasets | --runs | --scale | --dir | --tmpfs | --ucp | --gen | --rss | --memrate)
		[ $# -ge 2 ] || die "option '$1' requires an argument"
		case $1 in
		--datasets) datasets=$2 ;;
		--runs) runs=$2 ;;
		--scale) scale=$2 ;;
		--dir) work=$2 ;;
		--tmpfs) tmpfs=$2 ;;
		--ucp) UCP=$2 ;;
		--gen) GEN=$2 ;;
		--rss) rss_counts=$2 ;;
		--memrate) MEMRATE=$2 ;;
		esac
		shift
		;;
	--datasets=* | --runs=* | --scale=* | --dir=* | --tmpfs=* | --ucp=* | --gen=* | --rss=* | --memrate=*)
		val=${1#*=}
		case $1 in
		--datasets=*) datasets=$val ;;
		--runs=*) runs=$val ;;
		--scale=*) scale=$val ;;
		--dir=*) work=$val ;;
		--tmpfs=*) tmpfs=$val ;;
		--ucp=*) UCP=$val ;;
		--gen=*) GEN=$val ;;
		--rss=*) rss_counts=$val ;;
		--memrate=*) MEMRATE=$val ;;
		esac
		;;
	-h | --help) usage 0 ;;
	*)
		note "unknown argument '$1'"
		printf "Try '%s --help' for more information.\n" "$0" >&2
		exit 2
		;;
	esac
	shift
done

if [ -z "$runs" ]; then
	if [ "$quick" = 1 ]; then runs=1; else runs=3; fi
fi
if [ -z "$scale" ]; then
	if [ "$quick" = 1 ]; then scale=0.05; else scale=1; fi
fi
case $runs in
'' | *[!0-9]* | 0) die "invalid number of runs: '$runs'" ;;
esac
awk -v s="$scale" 'BEGIN { exit !(s + 0 > 0 && s + 0 <= 1000) }' ||
	die "invalid scale: '$scale'"
if [ -z "$rss_counts" ]; then
	if [ "$quick" = 1 ]; then rss_counts=10000; else rss_counts="10000 1000000"; fi
fi
for n in $rss_counts; do
	case $n in
	'' | *[!0-9]* | 0) die "invalid file count for --rss: '$n'" ;;
	esac
done
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 or later is required"
for ds in $datasets; do
	case $ds in
	small | mixed | large | sparse) ;;
	*) die "unknown dataset '$ds' (small, mixed, large, sparse)" ;;
	esac
done

# ---- prerequisites ----

[ -x /usr/bin/time ] ||
	die "/usr/bin/time (GNU time) is required: apt-get install time"
[ -x "$UCP" ] || die "no ucp binary at '$UCP' (run 'make ucp' or pass --ucp)"
[ -x "$GEN" ] || die "no generator at '$GEN' (run 'make bench/gen')"
for t in diff find cp tar du df sync; do
	command -v "$t" >/dev/null || die "'$t' is required"
done
have_strace=0
command -v strace >/dev/null && have_strace=1
[ "$have_strace" = 1 ] || note "strace not found: no syscall counts"
have_memrate=0
[ -x "$MEMRATE" ] && have_memrate=1
[ "$have_memrate" = 1 ] ||
	note "no '$MEMRATE' (make bench/memrate): no in-memory copy rate"
have_fio=0
command -v fio >/dev/null && have_fio=1
if [ "$cold" = 1 ]; then
	[ -w /proc/sys/vm/drop_caches ] ||
		die "--cold needs root (writes /proc/sys/vm/drop_caches)"
fi

UCP=$(cd "$(dirname "$UCP")" && pwd)/$(basename "$UCP")

work=${work:-${BENCH_DIR:-/var/tmp}/ucp-bench}
# (Removed at the end only if made here: --dir /var/tmp is not ours.)
made_work=0
[ -d "$work" ] || made_work=1
mkdir -p "$work"
work=$(cd "$work" && pwd)
exec 9>"$work/.lock"
if command -v flock >/dev/null; then
	flock -n 9 || die "another benchmark is using '$work'"
fi
srcs=$work/src
dsts=$work/dst
trash=$work/trash
mkdir -p "$srcs" "$dsts" "$trash"
tdst=""
if [ -n "$tmpfs" ]; then
	[ "$(stat -f -c %T "$tmpfs")" = tmpfs ] || die "'$tmpfs' is not a tmpfs"
	tdst=$(mktemp -d "$tmpfs/ucp-bench.XXXXXX")
fi

mkdir -p "$out_dir"
if [ -f "$out_dir/.last-cleanup" ]; then
	ago=$(($(date +%s) - $(cat "$out_dir/.last-cleanup")))
	if [ "$ago" -ge 0 ] && [ "$ago" -lt 360 ]; then
		note "warning: the previous run deleted its copies ${ago}s ago;" \
			"ext4 may allocate inodes slowly for up to 6 minutes after" \
			"a mass delete, so many-file timings may be inflated"
	fi
fi
stamp=$(date +%Y%m%d-%H%M%S)
report=$out_dir/results-$stamp.txt
csv=$out_dir/results-$stamp.csv

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ -n "$pr_old" ]; then
		echo "$pr_old" >"$pr/min_free_ms" 2>/dev/null || true
	fi
	[ -n "$tdst" ] && rm -rf -- "$tdst"
	rm -rf -- "$dsts" "$trash" "$work/.tmp"
	if [ "$keep" = 0 ]; then
		rm -rf -- "$srcs"
	fi
	# Deleting many files slows the next many-file copies on ext4 for a
	# few minutes: remember when, so that the next run can warn.
	date +%s >"$out_dir/.last-cleanup" 2>/dev/null || true
	rm -f -- "$work/.lock"
	[ "$made_work" = 0 ] || rmdir -- "$work" 2>/dev/null || true
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$work/.tmp"
tf=$work/.tmp/time
st=$work/.tmp/strace

# Print to the terminal and to the report file.
say() {
	printf '%s\n' "$*" | tee -a "$report"
}

# ---- tools ----

is_ucp=0
if "$UCP" --version 2>/dev/null | grep -q '^ucp'; then
	is_ucp=1
fi
has_scan=0
if [ "$is_ucp" = 1 ] &&
	"$UCP" --list-options 2>/dev/null | grep -qx -- '--no-scan'; then
	has_scan=1
fi
has_engine=0
if [ "$is_ucp" = 1 ] &&
	"$UCP" --list-options 2>/dev/null | grep -qx -- '--engine'; then
	has_engine=1
fi

tools=("cp -r" "ucp -r")
[ "$has_engine" = 1 ] && tools+=("ucp -r --engine=threads")
# The progress totals' counting walk: its cost is the difference.
[ "$has_scan" = 1 ] && tools+=("ucp -r --progress" "ucp -r --progress --no-scan")
tools+=("cp -a")
[ "$is_ucp" = 1 ] && tools+=("ucp -a")
if command -v rsync >/dev/null; then
	tools+=("rsync -a" "rsync -a --whole-file" "rsync -aHAX")
fi
tools+=("tar | tar")
command -v bsdtar >/dev/null && tools+=("bsdtar | bsdtar")
command -v xcp >/dev/null && tools+=("xcp -r")
command -v fcp >/dev/null && tools+=("fcp")
command -v cpz >/dev/null && tools+=("cpz")
command -v wcp >/dev/null && tools+=("wcp")
tools+=("cp -r (end)")

# Set the global array cmd to the command line copying $2 to a new $3.
tool_cmd() {
	local src=$2 dst=$3
	case $1 in
	"ucp -r") cmd=("$UCP" -r "$src" "$dst") ;;
	"ucp -r --engine=threads") cmd=("$UCP" -r --engine=threads "$src" "$dst") ;;
	"ucp -r --progress")
		cmd=("$UCP" -r --progress=plain "$src" "$dst")
		;;
	"ucp -r --progress --no-scan")
		cmd=("$UCP" -r --progress=plain --no-scan "$src" "$dst")
		;;
	"cp -r" | "cp -r (end)") cmd=(cp -r "$src" "$dst") ;;
	"cp -a") cmd=(cp -a "$src" "$dst") ;;
	"ucp -a") cmd=("$UCP" -a "$src" "$dst") ;;
	"ucp --sync") cmd=("$UCP" --sync "$src" "$dst") ;;
	"rsync -a") cmd=(rsync -a "$src/" "$dst/") ;;
	"rsync -aHAX") cmd=(rsync -aHAX "$src/" "$dst/") ;;
	"rsync -a --whole-file") cmd=(rsync -a --whole-file "$src/" "$dst/") ;;
	"tar | tar")
		# shellcheck disable=SC2016 # expanded by the inner shell
		cmd=(bash -c 'set -o pipefail; mkdir "$2" &&
			tar -cf - -C "$1" . | tar -xf - -C "$2"' _ "$src" "$dst")
		;;
	"bsdtar | bsdtar")
		# shellcheck disable=SC2016 # expanded by the inner shell
		cmd=(bash -c 'set -o pipefail; mkdir "$2" &&
			bsdtar -cf - -C "$1" . | bsdtar -xf - -C "$2"' _ "$src" "$dst")
		;;
	"xcp -r") cmd=(xcp -r "$src" "$dst") ;;
	"fcp") cmd=(fcp "$src" "$dst") ;;
	"cpz") cmd=(cpz "$src" "$dst") ;;
	"wcp") cmd=(wcp "$src" "$dst") ;;
	*) die "internal: unknown tool '$1'" ;;
	esac
}

# Whether the tool claims to preserve times (checked by verify).
preserves_times() {
	case $1 in
	"cp -a" | "ucp -a" | rsync*) return 0 ;;
	*) return 1 ;;
	esac
}

# ---- helpers ----

fnum() { # fnum FORMAT NUMBER...: printf through awk (floating point)
	awk -v f="$1" 'BEGIN { for (i = 1; i < ARGC; i++) printf f, ARGV[i] }' "${@:2}"
}

median() {
	# shellcheck disable=SC2048,SC2086 # word splitting wanted
	printf '%s\n' $* | sort -g | awk '{ a[NR] = $1 }
		END { if (NR == 0) print "nan"
		      else if (NR % 2) print a[(NR + 1) / 2]
		      else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

max_of() {
	# shellcheck disable=SC2048,SC2086 # word splitting wanted
	printf '%s\n' $* | sort -g | tail -n 1
}

# spread T...: "min-max" of the times, to show how much runs disagree.
spread() {
	# shellcheck disable=SC2048,SC2086 # word splitting wanted
	printf '%s\n' $* | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 }
		END { printf "%.2f-%.2f", lo, hi }'
}

free_kib() { df -Pk "$1" | awk 'NR == 2 { print $4 }'; }
free_inodes() { df -Pi "$1" | awk 'NR == 2 { print $4 }'; }

# Get rid of a destination: into the trash on a disk file system (so the
# inodes are not freed right before the next copy), its pages dropped from
# the cache first; deleted on tmpfs or when it has few entries (which
# drops its pages as well).
discard() {
	local d=$1
	[ -e "$d" ] || return 0
	if [ "${d#"$dsts"/}" != "$d" ] && [ "$entries" -ge 1000 ]; then
		# Out of the page cache too: a copy left there makes the next
		# tool pay for reclaiming it (seconds for gigabytes).
		[ ! -x "$EVICT" ] || "$EVICT" "$d" || true
		mv -- "$d" "$trash/$(basename "$d").$RANDOM$RANDOM"
	else
		rm -rf -- "$d"
	fi
}

# Make sure one more copy of the current dataset fits next to $1.
ensure_room() {
	local need_kib=$((src_alloc_kib * 12 / 10 + 1048576))
	local need_ino=$((entries * 12 / 10 + 10000))
	if [ "$(free_kib "$1")" -lt "$need_kib" ] ||
		[ "$(free_inodes "$1")" -lt "$need_ino" ]; then
		if [ -n "$(ls -A "$trash")" ]; then
			note "low on space or inodes: emptying the trash" \
				"(the next timings may be perturbed)"
			rm -rf -- "${trash:?}"/*
			sync
		fi
		if [ "$(free_kib "$1")" -lt "$need_kib" ] ||
			[ "$(free_inodes "$1")" -lt "$need_ino" ]; then
			die "not enough free space or inodes in '$1'"
		fi
	fi
}

drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# Read every file of a tree once (cat, not tar: GNU tar skips the data when
# writing to /dev/null).
warm() {
	find "$1" -type f -print0 | xargs -0r cat >/dev/null
}

# settle: wait (up to 10 s) until dirty and writeback pages are below
# 32 MiB, so that every tool starts from the same state, and log the
# memory state each timed run starts from.
settle() {
	local i dirty
	for ((i = 0; i < 100; i++)); do
		dirty=$(awk '/^(Dirty|Writeback):/ { s += $2 } END { print s }' /proc/meminfo)
		[ "$dirty" -lt 32768 ] && break
		sleep 0.1
	done
	note "memory: $(awk '/^(MemAvailable|Cached|Dirty|Writeback):/ {
		printf "%s %d MiB ", $1, $2 / 1024 }' /proc/meminfo)"
}

# timed TOOL SRC DST COLD: sets t_wall t_cpu t_rss (KiB) t_rc.
timed() {
	tool_cmd "$1" "$2" "$3"
	if [ "$4" = 1 ]; then
		drop_caches
		# shellcheck disable=SC2016 # expanded by the inner shell
		cmd=(bash -c '"$@" && sync' _ "${cmd[@]}")
	else
		sync
		touch_memory "$n_bytes" quiet
		settle
	fi
	local t0 t1
	t_rc=0
	t0=$EPOCHREALTIME
	/usr/bin/time -f '%e %U %S %M' -o "$tf" "${cmd[@]}" \
		>"$work/.tmp/out" 2>"$work/.tmp/err" || t_rc=$?
	t1=$EPOCHREALTIME
	t_wall=$(fnum '%.4f' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
	read -r _ u s m < <(tail -n 1 "$tf")
	t_cpu=$(fnum '%.2f' "$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')")
	t_rss=$m
	if [ "$t_rc" != 0 ]; then
		note "$1 exited with status $t_rc:"
		head -n 5 "$work/.tmp/err" >&2
	fi
}

# List a tree's entries: type, mode, size (not for directories), symlink
# target, and with $2 = 1 the modification time.
manifest() {
	local fmt_d='d %m %P' fmt_o='%y %m %s %P -> %l'
	if [ "$2" = 1 ]; then
		fmt_d="$fmt_d %T@"
		fmt_o="$fmt_o %T@"
	fi
	(cd "$1" && find . -mindepth 1 \( -type d -printf "$fmt_d\n" \) -o \
		-printf "$fmt_o\n") | sort
}

# verify TOOL SRC DST: prints ok or FAIL(...).
verify() {
	local times=0
	preserves_times "$1" && times=1
	if ! diff -r --no-dereference -- "$2" "$3" >"$work/.tmp/diff" 2>&1; then
		note "$1: copy differs from the source:"
		head -n 5 "$work/.tmp/diff" >&2
		echo "FAIL(content)"
		return
	fi
	if ! cmp -s <(manifest "$2" "$times") <(manifest "$3" "$times"); then
		note "$1: metadata differs from the source:"
		diff <(manifest "$2" "$times") <(manifest "$3" "$times") |
			head -n 5 >&2 || true
		echo "FAIL(metadata)"
		return
	fi
	echo ok
}

# strace_calls TOOL SRC DST: prints the total number of syscalls and leaves
# the per-syscall summary in $st.
strace_calls() {
	tool_cmd "$1" "$2" "$3"
	sync
	strace -f -c -o "$st" -- "${cmd[@]}" >/dev/null 2>&1 || true
	awk '$NF == "total" { print $4 }' "$st"
}

# Which engine ucp used, from the strace summary of its run.
ucp_engine() {
	local enters
	enters=$(awk '$NF == "io_uring_enter" { print $4 }' "$st")
	if [ -n "$enters" ] && [ "$enters" -gt 0 ]; then
		echo "uring ($enters io_uring_enter calls)"
	else
		echo "threads (no io_uring_enter calls)"
	fi
}

# Generate dataset $1 at scale $2 unless an identical one is there already.
# Sets src and the totals from gen's summary line.
prepare() {
	local ds=$1 sc=$2 key line
	src=$srcs/$ds@$sc
	key="$ds $sc $(cksum <"$GEN")"
	if [ -f "$src.meta" ] && [ "$(head -n 1 "$src.meta")" = "$key" ]; then
		line=$(tail -n 1 "$src.meta")
	else
		[ -e "$src" ] && mv -- "$src" "$trash/$ds@$sc.$RANDOM$RANDOM"
		rm -f -- "$src.meta"
		note "generating $ds (scale $sc) in $src"
		line=$("$GEN" "$ds" "$src" --scale "$sc") || die "gen $ds failed"
		printf '%s\n%s\n' "$key" "$line" >"$src.meta"
	fi
	n_files=0 n_dirs=0 n_links=0 n_bytes=0
	local kv
	for kv in $line; do
		case $kv in
		files=*) n_files=${kv#files=} ;;
		dirs=*) n_dirs=${kv#dirs=} ;;
		symlinks=*) n_links=${kv#symlinks=} ;;
		bytes=*) n_bytes=${kv#bytes=} ;;
		esac
	done
	entries=$((n_files + n_dirs + n_links))
	src_alloc_kib=$(du -sk "$src" | cut -f1)
}

# ---- machine limits ----

# mem_round DSTROOT: one measurement of each in-memory rate (GiB/s) with
# as many streams as CPUs over the dataset's files, and of copy_file_range
# with one stream (what a one-file-at-a-time copier such as cp -r can
# reach); appended to mem_cfr, mem_rw and mem_cfr1. The helper drops its
# copies from the cache itself.
mem_round() {
	local m n files=()
	[ "$have_memrate" = 1 ] || return 0
	mapfile -t files < <(find "$src" -type f | sort)
	[ "${#files[@]}" -gt 0 ] || return 0
	for m in cfr rw cfr1; do
		sync
		touch_memory "$n_bytes" quiet
		settle
		local line gibs
		n=$(nproc)
		[ "$m" != cfr1 ] || n=1
		if line=$("$MEMRATE" "${m%1}" "$n" "${files[@]}" "$1" 2>>"$work/.tmp/err"); then
			read -r _ _ _ _ gibs <<<"$line"
			case $m in
			cfr) mem_cfr="$mem_cfr $gibs" ;;
			rw) mem_rw="$mem_rw $gibs" ;;
			cfr1) mem_cfr1="$mem_cfr1 $gibs" ;;
			esac
			note "in-memory rate, ${m%1} x $n: $gibs GiB/s"
		else
			note "memrate $m failed"
		fi
	done
}

# fio_device DIR: the device's concurrent sequential read + write rates
# (GiB/s) under DIR with fio (O_DIRECT, 1 MiB blocks, queue depth 16, one
# reader and one writer at once, the writer's fsync at its end timed);
# sets dev_read, dev_write and dev_copy
# (the least of the two), or leaves them empty without fio.
dev_read="" dev_write="" dev_copy=""
fio_device() {
	local size=2G out
	[ "$have_fio" = 1 ] || return 0
	[ -z "$dev_copy" ] || return 0
	if [ "$quick" = 1 ]; then size=512M; fi
	note "fio: concurrent read + write on $1, $size each"
	# Size-based, and the writer's final fsync counted in its time: a
	# cold copy is timed to its final sync, and on a virtual disk that
	# flush of the host's cache is most of the cost (measured: fio's
	# O_DIRECT writes 2.2 GiB/s without it, 0.78 GiB/s with it).
	if ! out=$(cd "$1" && fio --output-format=terse --terse-version=3 \
		--direct=1 --ioengine=libaio --bs=1M --iodepth=16 \
		--size="$size" \
		--name=r --rw=read --filename=ucp-bench.fio.r \
		--name=w --rw=write --end_fsync=1 \
		--filename=ucp-bench.fio.w 2>&1); then
		note "fio failed: $(printf '%s\n' "$out" | head -n 1)"
		rm -f -- "$1"/ucp-bench.fio.[rw]
		return 0
	fi
	rm -f -- "$1"/ucp-bench.fio.[rw]
	# Terse v3: field 7 = read KiB/s, field 48 = write KiB/s.
	read -r dev_read dev_write < <(printf '%s\n' "$out" | awk -F';' '
		NF > 48 { r += $7; w += $48 }
		END { printf "%.3f %.3f\n", r / 1048576, w / 1048576 }')
	dev_copy=$(awk -v r="$dev_read" -v w="$dev_write" \
		'BEGIN { printf "%.3f", (r < w ? r : w) }')
	say "device (fio, concurrent read + write, O_DIRECT, 1 MiB, QD 16, final fsync):" \
		"read $dev_read GiB/s, write $dev_write GiB/s;" \
		"the least, $dev_copy GiB/s, is the device copy rate (buffered copies" \
		"can beat it where the host caches writes)"
}

# limits_report COLD TOOL...: the large dataset's copy rates of the tools
# (walls of bench_one) as ratios to the machine limits (the in-memory
# rates hot, fio's device rate cold).
limits_report() {
	local cold=$1 t m rate
	shift
	for t in "$@"; do
		m=$(median "${walls[$t]}")
		rate=$(awk -v b="$n_bytes" -v m="$m" 'BEGIN { printf "%.3f", (m > 0 ? b / 1073741824 / m : 0) }')
		if [ "$cold" = 0 ] && [ -n "$mem_cfr" ]; then
			say "$(printf '  %-26s %6.2f GiB/s = %5.1f%% of the in-memory cfr rate, %5.1f%% of the rw rate' \
				"$t" "$rate" \
				"$(awk -v r="$rate" -v l="$(median "$mem_cfr")" 'BEGIN { print (l > 0 ? 100 * r / l : 0) }')" \
				"$(awk -v r="$rate" -v l="$(median "$mem_rw")" 'BEGIN { print (l > 0 ? 100 * r / l : 0) }')")"
		elif [ "$cold" = 1 ] && [ -n "$dev_copy" ]; then
			say "$(printf '  %-26s %6.2f GiB/s = %5.1f%% of the device copy rate (fio)' \
				"$t" "$rate" \
				"$(awk -v r="$rate" -v l="$dev_copy" 'BEGIN { print (l > 0 ? 100 * r / l : 0) }')")"
		fi
	done
}

# ---- one dataset, one destination file system ----

# bench_one DATASET LABEL DSTROOT COLD
# bench_resync DATASET DEST_ROOT UCP_A_MEDIAN: a first ucp --sync (compared
# with ucp -a), then the no-change second run of ucp --sync and of rsync -a
# over an identical copy, which is what a nightly backup mostly does.
bench_resync() {
	local ds=$1 droot=$2 ua=$3 r d first="" again="" ragain=""
	for ((r = 1; r <= runs; r++)); do
		ensure_room "$droot"
		d=$droot/$ds.sync.$r
		note "$ds: ucp --sync, first and second run $r/$runs"
		timed "ucp --sync" "$src" "$d" 0
		first="$first $t_wall"
		timed "ucp --sync" "$src" "$d" 0
		again="$again $t_wall"
		discard "$d"
		d=$droot/$ds.rsync.$r
		note "$ds: rsync -a, second run $r/$runs"
		rsync -a "$src/" "$d/"
		timed "rsync -a" "$src" "$d" 0
		ragain="$ragain $t_wall"
		discard "$d"
	done
	local mf ma mr
	mf=$(median "$first")
	ma=$(median "$again")
	mr=$(median "$ragain")
	say "sync: first ucp --sync $(fnum '%.3f' "$mf") s ($(awk -v a="$ua" -v m="$mf" \
		'BEGIN { printf "%.2f", (m > 0 ? a / m : 0) }')x the speed of ucp -a);" \
		"no-change re-sync: ucp --sync $(fnum '%.3f' "$ma") s, rsync -a $(fnum '%.3f' "$mr") s:" \
		"ucp $(awk -v a="$mr" -v m="$ma" 'BEGIN { printf "%.2f", (m > 0 ? a / m : 0) }')x as fast"
	printf '%s,%s,0,%s,ucp --sync (first),%s,,,,,,,,\n' "$ds" "same fs" "$scale" "$mf" >>"$csv"
	printf '%s,%s,0,%s,ucp --sync (no change),%s,,,,,,,,\n' "$ds" "same fs" "$scale" "$ma" >>"$csv"
	printf '%s,%s,0,%s,rsync -a (no change),%s,,,,,,,,\n' "$ds" "same fs" "$scale" "$mr" >>"$csv"
}

bench_one() {
	local ds=$1 label=$2 droot=$3 cold=$4 t r d
	local nf=$((n_files + n_links)) limits=0
	declare -A walls=() cpus=() rsss=() vstat=() calls=() alloc=()
	mem_cfr="" mem_rw="" mem_cfr1=""
	# The large dataset on a disk is compared with the machine's limits.
	if [ "$ds" = large ] && [ "$label" = "same fs" ]; then
		limits=1
		if [ "$cold" = 1 ]; then
			if [ "$have_fio" = 1 ]; then
				fio_device "$droot"
			else
				say "(fio not installed: no device rate to compare cold copies with;" \
					"apt-get install fio)"
			fi
		fi
	fi

	ensure_room "$droot"
	note "$ds -> $label: warm-up copy"
	warm "$src"
	d=$droot/$ds.warmup
	cp -r "$src" "$d"
	discard "$d"

	for ((r = 1; r <= runs; r++)); do
		for t in "${tools[@]}"; do
			note "$ds -> $label: run $r/$runs: $t"
			ensure_room "$droot"
			d=$droot/$ds.${t//[^a-z0-9]/_}.$r
			timed "$t" "$src" "$d" "$cold"
			walls[$t]="${walls[$t]:-} $t_wall"
			cpus[$t]="${cpus[$t]:-} $t_cpu"
			rsss[$t]="${rsss[$t]:-} $t_rss"
			if [ "$t_rc" != 0 ]; then
				vstat[$t]="FAIL(exit $t_rc)"
			elif [ "$r" = 1 ]; then
				vstat[$t]=$(verify "$t" "$src" "$d")
				alloc[$t]=$(du -sk "$d" | cut -f1)
				# A copy much bigger on disk than its source
				# filled the holes in.
				if [ "${alloc[$t]}" -gt $((src_alloc_kib * 2 + 1024)) ]; then
					vstat[$t]="${vstat[$t]}, holes filled"
				fi
			fi
			discard "$d"
		done
		# The in-memory rates, interleaved with the tools.
		if [ "$limits" = 1 ] && [ "$cold" = 0 ]; then
			mem_round "$droot"
		fi
	done

	local engine="n/a" ssrc=$src snf=$nf sub n best_n=0
	if [ "$have_strace" = 1 ]; then
		# Tracing is slow (each syscall stops the tracee): on big trees
		# count on the biggest top-level subdirectory of 1,000 to
		# 20,000 entries instead, if there is one.
		if [ "$nf" -gt 20000 ]; then
			for sub in "$src"/*/; do
				[ -d "$sub" ] || continue
				n=$(find "$sub" ! -type d | wc -l)
				if [ "$n" -ge 1000 ] && [ "$n" -le 20000 ] &&
					[ "$n" -gt "$best_n" ]; then
					best_n=$n
					ssrc=${sub%/}
				fi
			done
			[ "$best_n" -gt 0 ] && snf=$best_n
		fi
		for t in "${tools[@]}"; do
			[ "$t" = "cp -r (end)" ] && continue
			note "$ds -> $label: strace: $t"
			ensure_room "$droot"
			d=$droot/$ds.strace
			calls[$t]=$(strace_calls "$t" "$ssrc" "$d")
			[ "$t" = "ucp -r" ] && [ "$is_ucp" = 1 ] &&
				engine=$(ucp_engine)
			discard "$d"
		done
		calls["cp -r (end)"]=${calls["cp -r"]:-}
	fi

	# Table.
	local med_cp best=""
	med_cp=$(median "${walls["cp -r"]}")
	for t in "${tools[@]}"; do
		case $t in ucp*) continue ;; esac
		local m
		m=$(median "${walls[$t]}")
		if [ -z "$best" ] || awk -v a="$m" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$m
		fi
	done

	say ""
	say "== $ds ($label, $([ "$cold" = 1 ] && echo cold || echo hot) cache," \
		"scale $scale, $runs run(s)): $n_files files, $n_links symlinks," \
		"$n_dirs dirs, $(fnum '%.2f' "$(awk -v b="$n_bytes" 'BEGIN { print b / 1073741824 }')") GiB," \
		"source alloc $((src_alloc_kib / 1024)) MiB"
	local hdr
	hdr=$(printf '%-26s %9s %11s %9s %7s %7s %8s %9s %7s %8s %9s  %s' \
		tool "median s" "min-max s" files/s GiB/s "CPU s" "RSS MiB" \
		sys/file "vs cp" "vs best" "alloc MiB" verify)
	say "$hdr"
	for t in "${tools[@]}"; do
		local m c x sc fps gbs vcp vbest line
		m=$(median "${walls[$t]}")
		c=$(median "${cpus[$t]}")
		x=$(max_of "${rsss[$t]}")
		read -r fps gbs vcp vbest < <(awk -v n="$nf" -v b="$n_bytes" \
			-v a="$med_cp" -v best="$best" -v m="$m" 'BEGIN {
			if (m > 0)
				printf "%.0f %.2f %.2f %.2f\n", n / m,
					b / 1073741824 / m, a / m, best / m
			else
				print "- - - -" }')
		sc="-"
		if [ -n "${calls[$t]:-}" ] && [ "$nf" -gt 0 ]; then
			sc=$(awk -v c="${calls[$t]}" -v n="$snf" 'BEGIN { printf "%.1f", c / n }')
		fi
		line=$(printf '%-26s %9.3f %11s %9s %7s %7s %8.1f %9s %7s %8s %9s  %s' \
			"$t" "$m" "$(spread "${walls[$t]}")" "$fps" "$gbs" "$c" \
			"$(awk -v k="$x" 'BEGIN { print k / 1024 }')" \
			"$sc" "$vcp" "$vbest" "$(( ${alloc[$t]:-0} / 1024 ))" "${vstat[$t]:-?}")
		say "$line"
		printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"%s"\n' \
			"$ds" "$label" "$cold" "$scale" "$t" "$m" "$fps" "$gbs" \
			"$c" "$x" "$sc" "$vcp" "$vbest" "${vstat[$t]:-?}" >>"$csv"
	done
	if [ "$limits" = 1 ]; then
		if [ "$cold" = 0 ] && [ -n "$mem_cfr" ]; then
			say "machine limits, same run, $(nproc) streams: in-memory copy_file_range" \
				"$(median "$mem_cfr") GiB/s ($(spread "$mem_cfr")), read/write 1 MiB" \
				"$(median "$mem_rw") GiB/s ($(spread "$mem_rw"))"
			printf '%s,%s,%s,%s,%s,,,%s,,,,,,\n' "$ds" "$label" "$cold" "$scale" \
				"limit: memory cfr" "$(median "$mem_cfr")" >>"$csv"
			printf '%s,%s,%s,%s,%s,,,%s,,,,,,\n' "$ds" "$label" "$cold" "$scale" \
				"limit: memory rw" "$(median "$mem_rw")" >>"$csv"
			if [ -n "$mem_cfr1" ]; then
				say "  one stream: copy_file_range $(median "$mem_cfr1") GiB/s" \
					"($(spread "$mem_cfr1")); $(nproc) streams reach" \
					"$(awk -v a="$(median "$mem_cfr")" -v b="$(median "$mem_cfr1")" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')x" \
					"that: about the most any copier can gain here over one copying a file at a time"
				printf '%s,%s,%s,%s,%s,,,%s,,,,,,\n' "$ds" "$label" "$cold" "$scale" \
					"limit: memory cfr, one stream" "$(median "$mem_cfr1")" >>"$csv"
			fi
		elif [ "$cold" = 1 ] && [ -n "$dev_copy" ]; then
			printf '%s,%s,%s,%s,%s,,,%s,,,,,,\n' "$ds" "$label" "$cold" "$scale" \
				"limit: device copy (fio)" "$dev_copy" >>"$csv"
		fi
		limits_report "$cold" "ucp -r" "cp -r"
		local mu mc
		mu=$(median "${walls["ucp -r"]}")
		mc=$(median "${walls["cp -r"]}")
		say "  ucp -r vs cp -r: $(awk -v a="$mc" -v m="$mu" 'BEGIN { printf "%.2f", (m > 0 ? a / m : 0) }')x" \
			"(ucp -r $(spread "${walls["ucp -r"]}") s, cp -r $(spread "${walls["cp -r"]}") s)"
	fi
	if [ "$cold" = 0 ]; then
		cpu_ceiling "ucp -r" "cp -r"
		cpu_ceiling "ucp -a" "cp -a"
	fi
	if [ -n "${walls["ucp -a"]:-}" ]; then
		local ma line
		ma=$(median "${walls["ucp -a"]}")
		line="-a: ucp -a is $(awk -v a="$(median "${walls["cp -a"]}")" -v m="$ma" \
			'BEGIN { printf "%.2f", (m > 0 ? a / m : 0) }')x as fast as cp -a"
		if [ -n "${walls["rsync -aHAX"]:-}" ]; then
			line="$line, $(awk -v a="$(median "${walls["rsync -aHAX"]}")" -v m="$ma" \
				'BEGIN { printf "%.2f", (m > 0 ? a / m : 0) }')x as fast as rsync -aHAX"
		fi
		say "$line"
	fi
	if [ -n "${walls["ucp -r --progress"]:-}" ]; then
		say "progress: the counting walk ahead costs $(awk \
			-v s="$(median "${walls["ucp -r --progress"]}")" \
			-v n="$(median "${walls["ucp -r --progress --no-scan"]}")" \
			'BEGIN { printf "%+.1f", (n > 0 ? (s / n - 1) * 100 : 0) }')%" \
			"(ucp -r --progress=plain against the same with --no-scan)"
	fi
	if [ "$is_ucp" = 1 ] && [ "$cold" = 0 ] &&
		"$UCP" --list-options 2>/dev/null | grep -qx -- '--sync' &&
		command -v rsync >/dev/null; then
		bench_resync "$ds" "$droot" "$(median "${walls["ucp -a"]}")"
	fi
	if [ "$ssrc" != "$src" ]; then
		say "sys/file counted on ${ssrc#"$src"/}/ ($snf files), a sample of the tree"
	fi
	if [ "$is_ucp" = 1 ]; then
		say "ucp engine used (default, auto): $engine;" \
			"sys/file counts syscalls only, not io_uring operations"
	else
		say "note: '$UCP' is not ucp; its rows time that binary"
	fi
}

# cpu_ceiling TOOL BASE: on a hot cache a copy is CPU work; TOOL, spread
# over every CPU, can be at most nproc x BASE's wall time / TOOL's CPU time
# as fast as BASE. Said beside the ratio measured, so that a ratio short
# of a goal shows whether the CPUs or the tool hold it back.
cpu_ceiling() {
	local t=$1 b=$2
	[ -n "${walls[$t]:-}" ] && [ -n "${walls[$b]:-}" ] || return 0
	say "$(awk -v n="$(nproc)" -v bw="$(median "${walls[$b]}")" \
		-v tc="$(median "${cpus[$t]}")" -v tw="$(median "${walls[$t]}")" \
		-v bc="$(median "${cpus[$b]}")" -v t="$t" -v b="$b" 'BEGIN {
		if (tc <= 0 || tw <= 0) exit
		c = n * bw / tc
		printf "CPU bound: %s used %.2f CPU s, %s %.2f; on %d CPUs %s can be at most %.2fx as fast as %s, and was %.2fx (%.0f%% of that)", \
			t, tc, b, bc, n, t, c, b, bw / tw, 100 * bw / tw / c }')"
}

# ---- free page reporting ----

# On a VM whose balloon driver reports free memory to its host
# (/sys/module/page_reporting), pages freed a moment ago go back to the
# host, and the next tool to touch them waits while the host maps them
# again: measured on such a VM, one in-memory copy of the same 1 GiB took
# 0.10 s or 0.45-0.65 s depending on it, and whichever tool ran after an
# eviction paid. Where the kernel lets freed pages wait before they are
# reported (min_free_ms), the run holds them in the machine (root only;
# the setting is restored at exit) and touches the memory a copy needs
# before each hot timing (the first touch of a dataset is the slow one;
# a page held stays for 5 minutes at most, so once is not enough: 4 GiB
# copies then still took 1.3-6.4 s, and 0.54-0.69 s touched each time);
# elsewhere it says that hot timings may swing.
pr=/sys/module/page_reporting/parameters
pr_old=""
hold_free_pages() {
	local ms
	[ -d "$pr" ] || return 0
	if [ -w "$pr/min_free_ms" ] && pr_old=$(cat "$pr/min_free_ms") &&
		for ms in 300000 60000; do
			echo "$ms" >"$pr/min_free_ms" 2>/dev/null && break
		done && [ "$(cat "$pr/min_free_ms")" = "$ms" ]; then
		say "free page reporting to the VM's host: held for the run" \
			"(min_free_ms $pr_old -> $ms, restored at exit)"
	else
		pr_old=""
		say "warning: this VM reports free memory to its host" \
			"(page_reporting): hot timings of big copies may swing" \
			"several-fold with what was freed last"
	fi
}

# touch_memory BYTES [quiet]: map and touch twice BYTES (a source and a
# copy), at most half of what is available, while free pages are held.
touch_memory() {
	local mib avail
	[ -n "$pr_old" ] && [ "$have_memrate" = 1 ] || return 0
	avail=$(awk '/^MemAvailable:/ { print int($2 / 2048) }' /proc/meminfo)
	mib=$(($1 * 2 / 1048576 + 256))
	[ "$mib" -le "$avail" ] || mib=$avail
	[ -n "${2:-}" ] || note "touching $mib MiB of memory (free pages held)"
	"$MEMRATE" touch "$mib" || note "memrate touch failed"
}

# ---- main ----

printf 'dataset,dest,cold,scale,tool,median_s,files_per_s,gib_per_s,cpu_s,peak_rss_kib,syscalls_per_file,vs_cp,vs_best,verify\n' >"$csv"
say "ucp benchmark $stamp on $(uname -srm), $(nproc) CPUs"
say "binary: $UCP ($("$UCP" --version 2>/dev/null | head -n 1 || echo '?'))"
fstype=$(findmnt -n -o FSTYPE -T "$work" 2>/dev/null || stat -f -c %T "$work")
say "work dir: $work ($fstype), runs: $runs, scale: $scale"
hold_free_pages
if [ "$is_ucp" = 1 ]; then
	# Ask ucp itself whether it falls back (reported with -v only).
	mkdir -p "$work/.tmp/probe"
	echo probe >"$work/.tmp/probe/f"
	fallback=$("$UCP" -r -v "$work/.tmp/probe" "$work/.tmp/probe.out" 2>&1 >/dev/null |
		grep 'io_uring' || true)
	rm -rf -- "$work/.tmp/probe" "$work/.tmp/probe.out"
	say "io_uring: ${fallback:-usable (no fallback notice from ucp -v)}"
fi

for ds in $datasets; do
	prepare "$ds" "$scale"
	touch_memory "$n_bytes"
	bench_one "$ds" "same fs" "$dsts" 0
	if [ -n "$tdst" ]; then
		mem_kib=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
		if [ $((n_bytes * 2 / 1024)) -lt "$mem_kib" ]; then
			bench_one "$ds" "tmpfs" "$tdst" 0
		else
			say "(skipping $ds on tmpfs: not enough memory)"
		fi
	fi
	if [ "$cold" = 1 ]; then
		bench_one "$ds" "same fs" "$dsts" 1
	fi
done

# ---- archives: ucp --tar/--untar against tar and bsdtar ----

# awall CMD...: run CMD (a shell string, run by bash -c) after a sync; sets
# a_wall (seconds) and a_rc.
awall() {
	local t0 t1
	sync
	a_rc=0
	t0=$EPOCHREALTIME
	bash -c "$1" >"$work/.tmp/out" 2>"$work/.tmp/err" || a_rc=$?
	t1=$EPOCHREALTIME
	a_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
	if [ "$a_rc" != 0 ]; then
		note "'$1' exited with status $a_rc:"
		head -n 5 "$work/.tmp/err" >&2
	fi
}

# arch_case LABEL CMD: time CMD $runs times (CMD may use $A, the archive
# path, and $D, a fresh directory); prints and records the median.
arch_case() {
	local label=$1 acmd=$2 r times=()
	for ((r = 1; r <= runs; r++)); do
		D=$dsts/arch.x.$r
		discard "$D"
		rm -f -- "$A.new"
		awall "$acmd"
		times+=("$a_wall")
		discard "$D"
	done
	arch_med=$(median "${times[@]}")
	say "$(printf '  %-44s %8.3f s  %10.0f files/s' "$label" "$arch_med" \
		"$(awk -v n="$n_files" -v t="$arch_med" 'BEGIN { print (t > 0 ? n / t : 0) }')")"
	printf '%s,archive,0,%s,%s,%s,,,,,,,,\n' "$ds" "$scale" "$label" "$arch_med" >>"$csv"
}

# ratio A B: "A / B" with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

has_bsdtar=0
command -v bsdtar >/dev/null && has_bsdtar=1
# shellcheck disable=SC2016 # the commands expand $A, $D... in bash -c
for ds in $datasets; do
	case $ds in small | mixed) ;; *) continue ;; esac
	prepare "$ds" "$scale"
	warm "$src"
	ensure_room "$dsts"
	say ""
	say "== archives: $ds (hot cache, uncompressed, runs: $runs, median)"
	export A=$dsts/arch.tar D
	s_dir=$(dirname "$src") s_base=$(basename "$src")
	export s_dir s_base UCP
	arch_case "tar -cf" 'cd "$s_dir" && tar -cf "$A.new" "$s_base"'
	m_tar=$arch_med
	if [ "$has_bsdtar" = 1 ]; then
		arch_case "bsdtar -cf" 'cd "$s_dir" && bsdtar -cf "$A.new" "$s_base"'
	fi
	arch_case "ucp --tar" 'cd "$s_dir" && "$UCP" --tar "$s_base" "$A.new"'
	m_ucp=$arch_med
	say "  ucp --tar vs tar -cf: $(ratio "$m_tar" "$m_ucp")x (> 1: ucp faster)"
	(cd "$s_dir" && tar -cf "$A" "$s_base")
	arch_case "tar -xf" 'mkdir "$D" && tar -xf "$A" -C "$D"'
	m_tar=$arch_med
	arch_case "ucp --untar" '"$UCP" --untar "$A" "$D"'
	m_ucp=$arch_med
	say "  ucp --untar vs tar -xf: $(ratio "$m_tar" "$m_ucp")x"
	arch_case "tar -cf - | tar -xf -" \
		'mkdir "$D" && (cd "$s_dir" && tar -cf - "$s_base") | tar -xf - -C "$D"'
	m_tar=$arch_med
	arch_case "ucp --tar - | ucp --untar -" \
		'(cd "$s_dir" && "$UCP" --tar "$s_base" -) | "$UCP" --untar - "$D"'
	m_ucp=$arch_med
	say "  pipe: ucp vs tar: $(ratio "$m_tar" "$m_ucp")x"
	rm -f -- "$A" "$A.new"
done

# ---- memory bound: peak RSS of ucp on many-file trees ----

say ""
say "== peak RSS on many-file trees (small-style, 4 KiB files, hot cache)"
for n in $rss_counts; do
	sc=$(awk -v n="$n" 'BEGIN { print n / 100000 }')
	prepare small "$sc"
	warm "$src"
	ensure_room "$dsts"
	for t in "ucp -r" "cp -r"; do
		d=$dsts/rss.${t//[^a-z0-9]/_}
		timed "$t" "$src" "$d" 0
		say "$(printf '%9d files: %-8s peak RSS %8.1f MiB, %7.2f s%s' \
			"$n_files" "$t" "$(awk -v k="$t_rss" 'BEGIN { print k / 1024 }')" \
			"$t_wall" "$([ "$t_rc" = 0 ] || echo " FAIL(exit $t_rc)")")"
		rm -rf -- "$d"
	done
	if [ "$keep" = 0 ] && [ "$sc" != "$scale" ]; then
		rm -rf -- "$src" "$src.meta"
	fi
done

say ""
say "results: $report, $csv"
