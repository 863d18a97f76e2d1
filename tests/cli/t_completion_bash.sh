#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# The bash completion, loaded in a real bash: it registers itself for ucp
# (complete -p), and completes option names, the fixed choices of --engine=
# and --progress= in both word shapes, and directories only after -t.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v bash >/dev/null || skip "bash is not installed"
mkdir -p work/dir1 work/dir2
: >work/file1
cd work

# complete WORD...: what the completion offers when the command line is
# split into WORDs and the cursor is at the end of the last one.
complete_words() {
	bash --norc --noprofile -c '
		. "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ucp ucp "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort' \
		bash "$TOP/completions/ucp.bash" "$@"
}

check() {
	local want=$1 got
	shift
	got=$(complete_words "$@" | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "completing '$*': got '$got', expected '$want'"
}

reg=$(bash --norc --noprofile -c '. "$1"; complete -p ucp' bash "$TOP/completions/ucp.bash")
[ "$reg" = "complete -F _ucp ucp" ] || fail "complete -p ucp says: $reg"

# '=' is in COMP_WORDBREAKS by default: "--engine=" arrives as three words.
check "auto threads uring " ucp --engine =
check "threads " ucp --engine = th
check "auto bar json none plain " ucp --progress = ''
check "--stats " ucp --sta
# A comma list: the word after the last comma is completed.
check "mode,ownership " ucp --preserve = mode,o
check "--preserve=mode,links,xattr " ucp --preserve=mode,links,x
check "--engine= " ucp --engin
# The single-word shape, when '=' is not a word break.
check "--progress=json " ucp --progress=j
check "--sparse=always --sparse=auto " ucp --sparse=a
# Directories only after -t, files and directories as operands.
check "dir1 dir2 " ucp -t ''
check "dir1 dir2 file1 " ucp -r ''
# Bundled short options ending in one that takes an argument: the value's
# completion, whatever letters come first (-c and -0 too: they were left
# out, and their bundles offered files).
check " " ucp -rj ''
check " " ucp --sync -cj ''
# -f is --filter after --sync and after the --syn ucp takes for it: a rule.
check " " ucp --sync -f ''
check " " ucp --syn -f ''
check "dir1 dir2 file1 " ucp -f ''
check "dir1 dir2 " ucp -0t ''
