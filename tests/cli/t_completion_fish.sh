#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# The fish completion, loaded in a real fish: `complete -C` lists the fixed
# choices of --engine= and --progress=, the option names, and directories
# only after -t.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v fish >/dev/null || skip "fish is not installed"
mkdir -p work/dir1 work/dir2
: >work/file1
cd work

# complete LINE: the candidates fish offers for LINE, without descriptions.
complete_line() {
	# shellcheck disable=SC2016 # fish expands $argv itself
	HOME=$PWD/.. XDG_CONFIG_HOME=$PWD/../xdg fish --no-config -c \
		'source $argv[1]; complete -C $argv[2]' "$TOP/completions/ucp.fish" "$1" |
		cut -f1 | LC_ALL=C sort | tr '\n' ' '
}

check() {
	local got
	got=$(complete_line "$1")
	[ "$got" = "$2" ] || fail "fish: completing '$1': got '$got', expected '$2'"
}

check 'ucp --engine=' '--engine=auto --engine=threads --engine=uring '
check 'ucp --progress=' '--progress=auto --progress=bar --progress=json --progress=none --progress=plain '
check 'ucp --sta' '--stats '
# --preserve= offers attribute names (not files), also after a comma.
check 'ucp --preserve=ti' '--preserve=timestamps '
check 'ucp --preserve=mode,o' '--preserve=mode,ownership '
# ... but not as the next word: --preserve takes its names after '=' only,
# and a word after it is an operand (fish offered 'mode' there, which ucp
# then took for a file).
check 'ucp --preserve mo' ''
check 'ucp --no-preserve=ti' '--no-preserve=timestamps '
# -f with --sync is --filter: its RULE is no file name.
check 'ucp --sync -f ' ''
check 'ucp --syn -f ' ''
check 'ucp -f fi' 'file1 '
check 'ucp --sparse ' 'always auto never '
check 'ucp -t ' 'dir1/ dir2/ '
