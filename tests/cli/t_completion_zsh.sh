#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# The zsh completion, loaded by compinit in a real interactive zsh driven
# through zpty: _ucp is registered for ucp, and TAB after --engine= and
# --progress= lists the fixed choices.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v zsh >/dev/null || skip "zsh is not installed"
zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh lacks the zsh/zpty module"

mkdir fp
cp "$TOP/completions/_ucp" fp/

# Loading: compinit finds the file and binds it to ucp, without error.
out=$(zsh -f -c 'fpath=(./fp $fpath); autoload -Uz compinit; compinit -u -D
	print -r -- "${_comps[ucp]}"' 2>&1)
[ "$out" = _ucp ] || fail "compinit did not bind _ucp to ucp: $out"

# complete_tab LINE PATTERN: type LINE and TAB in an interactive zsh and
# wait for PATTERN (a zsh glob) in what it prints.
cat >drive.zsh <<'ZSH'
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='%% '; fpath=($PWD/fp \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-prompt ''; LISTMAX=1000"
zpty -w z 'print -r -- READY-$(( 6 * 7 ))'
zpty -r z out '*READY-42*'
zpty -w -n z "$1"$'\t'
zpty -r z out "$2" && print -r -- MATCHED
zpty -d z
ZSH

complete_tab() {
	local got
	got=$(timeout 60 zsh -f drive.zsh "$1" "$2" 2>&1 | tr -d '\r' || true)
	case $got in
	*MATCHED*) ;;
	*) fail "zsh: completing '$1' did not show $2: $got" ;;
	esac
}

complete_tab 'ucp --engine=' '*auto*threads*uring*'
complete_tab 'ucp --progress=' '*json*plain*'
complete_tab 'ucp --sta' '*--stats*'
