#!/bin/sh
# SPDX-License-Identifier: MIT
# shellcheck disable=SC2086 # package lists are split on purpose
# One-command set-up on Debian/Ubuntu (as root, or with sudo).
#
#   ./setup.sh demo   install build dependencies, build, copy /usr/share into
#                     a fresh directory under /tmp with progress, verify it
#   ./setup.sh test   install test dependencies, build, run 'make check'
#   ./setup.sh deps   install build and test dependencies only
#   ./setup.sh pkg-deps  install what building the Debian package needs
#   ./setup.sh bench  install what 'make bench' runs beside ucp, then run it
set -eu

cd "$(dirname "$0")"

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi

BUILD_DEPS="make gcc pkg-config liburing-dev libarchive-dev libxxhash-dev zlib1g-dev libzstd-dev"
TEST_DEPS="$BUILD_DEPS libcmocka-dev mandoc clang clang-format clang-tidy util-linux diffutils attr acl xfsprogs e2fsprogs libcap2-bin"
# Progress and completion tests: JSON parsing, the zsh and fish shells.
TEST_DEPS="$TEST_DEPS jq zsh fish"
# Archive tests: GNU tar, bsdtar and every compressor they exercise.
TEST_DEPS="$TEST_DEPS libarchive-tools tar gzip bzip2 xz-utils zstd lz4"
# Sync tests: rsync, which --sync's filter rules, --link-dest and deletions
# are compared with (those cases skip without it).
TEST_DEPS="$TEST_DEPS rsync"
# A file system that does not tell case apart, for --sync --delete there
# (exFAT: in the kernel where it has it, else through FUSE).
TEST_DEPS="$TEST_DEPS exfatprogs exfat-fuse"
# A file system that refuses modes (FAT: in the kernel, else fusefat).
TEST_DEPS="$TEST_DEPS dosfstools fusefat"
# strace, whose fault injection stops ucp between two system calls where
# no test hook stops it (t_sync_delete_gone).
TEST_DEPS="$TEST_DEPS strace"
# make bench: GNU time, the peers it times ucp against, strace for the
# syscall counts, fio for the device's rate that cold copies are held to.
BENCH_DEPS="$BUILD_DEPS time rsync tar libarchive-tools strace diffutils fio"
# Building, checking and installing the Debian package (.ci/run).
PKG_DEPS="$BUILD_DEPS git debhelper dpkg-dev man-db"

# Install the packages that are not installed yet.
install() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "setup: installing$missing"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086 # word splitting is intended
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing
}

demo() {
	install $BUILD_DEPS
	make
	src=${UCP_DEMO_SRC:-/usr/share}
	dst=$(mktemp -d /tmp/ucp-demo.XXXXXX)
	progress=plain
	[ -t 2 ] && progress=bar
	echo "setup: copying $src to $dst/copy"
	./ucp -r --progress=$progress "$src" "$dst/copy"
	echo "setup: verifying (diff -r)"
	diff -r --no-dereference "$src" "$dst/copy" >/dev/null
	echo "setup: verified: $(find "$dst/copy" | wc -l) entries identical"
	echo "setup: remove the copy with: rm -rf $dst"
}

case "${1:-}" in
demo)
	demo
	;;
test)
	install $TEST_DEPS
	make DEVELOPER=1 check
	;;
deps)
	install $TEST_DEPS
	;;
pkg-deps)
	install $PKG_DEPS
	;;
bench)
	install $BENCH_DEPS
	make bench
	;;
*)
	echo "usage: $0 demo|test|deps|pkg-deps|bench" >&2
	exit 2
	;;
esac
