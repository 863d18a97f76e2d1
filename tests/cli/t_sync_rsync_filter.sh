#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --sync's filter rules beside rsync's: each case runs rsync -a and
# ucp --sync with the same rules on the same source, into copies of the
# same destination, and the two trees must be alike (names, types, modes,
# file times, contents): --filter/-f in its short and long forms, the order of
# rules across --filter, --include and --exclude, '+ '/'- '/'!' in
# --include/--exclude, merge and dir-merge files with their modifiers,
# -F and -FF, protect and risk rules under --delete. Unknown rules are
# usage errors for both, naming the rule.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

command -v rsync >/dev/null 2>&1 || skip "rsync is not installed"

mkdir -p src/a/b/c src/d src/keep
for f in x.o x.c top.tmp a/x.o a/x.c a/keep.o a/b/x.o a/b/y.log \
	a/b/c/x.o a/b/c/z.tmp d/x.o d/x.c d/keep.tmp keep/k.o; do
	printf '%s\n' "$f" >"src/$f"
done
# The per-directory rule files: inherited, anchored, cleared.
printf -- '- *.tmp\n' >src/.rules
printf -- '- *.o\n' >src/a/.rules
printf -- '+ x.o\n- /y.log\n' >src/a/b/.rules
printf -- '!\n- x.c\n' >src/d/.rules
printf -- '- *.tmp\n' >src/.rsync-filter
printf -- '- *.o\n+ keep.o\n' >src/a/.rsync-filter
printf -- '*.c\n' >src/a/.ex
# A destination with extra entries, for --delete.
mkdir -p init/a/gone init/d
for f in extra.keep extra.o a/junk.o a/junk.txt d/old.c; do
	printf 'extra\n' >"init/$f"
done
printf -- '- *.o\n+ a/\n- a/b/\n' >merge.rules
printf -- 'x.c\n*.log\n' >merge.plain

# tree_state without directory times: the rsync here (3.5.0) leaves a
# local copy's directories with the time of their creation.
state() {
	tree_state "$1" | awk -F '\t' 'BEGIN { OFS = "\t" } $1 == "d" { $6 = "-" } { print }' | LC_ALL=C sort
}

# both NAME RSYNC-EXTRA -- OPTION...: rsync -a RSYNC-EXTRA OPTION... and
# ucp --sync OPTION... from src/ into copies of init/; both succeed and
# leave alike trees.
both() {
	local name=$1 rrc=0
	local -a extra=()
	shift
	while [ "$1" != -- ]; do
		extra+=("$1")
		shift
	done
	shift
	rm -rf "r.$name" "u.$name"
	cp -a init "r.$name"
	cp -a init "u.$name"
	rsync -a "${extra[@]}" "$@" src/ "r.$name/" >rsync.err 2>&1 || rrc=$?
	[ "$rrc" = 0 ] || { cat rsync.err >&2; fail "$name: rsync failed ($rrc)"; }
	ucp_try --sync "$@" src/ "u.$name/"
	[ "$RC" = 0 ] || { show_last; fail "$name: ucp failed"; }
	local a b
	a=$(state "r.$name") b=$(state "u.$name")
	if [ "$a" != "$b" ]; then
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 20 >&2
		fail "$name: ucp --sync $* differs from rsync (< rsync, > ucp)"
	fi
}

# --include/--exclude: '+ X' and '- X' whatever the option, '!' clears.
both incl1 -- --exclude='+ *.o' --exclude='*.o' --exclude='*.c'
both incl2 -- --include='- *.o'
both incl3 -- --exclude='*.o' --exclude='!' --exclude='*.c'
both incl4 -- --include='*/' --include='+ *.c' --exclude='- *'

# --filter, short and long rule names, -f; the order of all rules as given.
both filt1 -- --filter='- *.o'
both filt2 -- -f'exclude *.o' -f'include keep'
both filt3 -- -f '-_*.tmp' -f '+ /a/' -f '- /*/'
both filt4 -- --include='a/keep.o' -f'- *.o' --exclude='x.c'
both filt5 -- --exclude='x.c' -f'+ x.c' -f'- *.tmp'
both filt6 -- -f'- *.o' -f'!' -f'- *.c'
both filt7 -- -f'clear' -f'H *.o' -f'S keep.o'
both filt8 -- -f'exclude,s *.o' -f'-r *.c'
# Merge files: rules, plain patterns ('-'), and the file's own exclude.
both merge1 -- -f'. merge.rules'
both merge2 -- -f'merge,- merge.plain'
both merge3 -- -f'+ a/x.c' -f'merge,-e merge.plain'
# Per-directory rule files: inherited, anchored at their directory, '!'
# clearing the inherited ones; 'n', 'e', '-'; ahead of later rules.
both dir1 -- -f': .rules'
both dir2 -- -f'dir-merge .rules' -f'- *.c'
both dir3 -- -f':n .rules'
both dir4 -- -f':e .rules'
both dir5 -- -f':- .ex'
both dir6 -- -f'+ z.tmp' -f': .rules'
# -F and -FF.
both dashF -- -F
both dashFF -- -FF
both dashFF2 -- -FF --exclude='*.c'

# Under --delete (ucp deletes after the copy: rsync's --delete-after):
# what exclude and protect rules match is kept, risk rules let go of it;
# --delete-excluded leaves protect rules only.
both del1 -- --delete
both del2 -- --delete --exclude='*.o'
both del3 -- --delete -f'P *.keep' -f'P junk.*'
both del4 -- --delete -f'R a/junk.o' -f'P *.o'
both del5 -- --delete --delete-excluded -f'P *.keep' --exclude='*.o'
both del6 -- --delete -f'H *.txt' -f'- *.o'
both del7 -- --delete -f'protect /a/junk.txt' -f'risk *.txt'
both del8 --delete-after -- --delete -F
both del9 --delete-after -- --delete -FF -f'P d/'

# Bad rules: rsync says so with status 1, ucp with its usage status 2,
# both naming the rule; nothing is copied.
refused() {
	local rule=$1 rword=$2 uword=$3 rrc=0
	rsync -a --filter="$rule" src/ r.bad/ >rsync.err 2>&1 || rrc=$?
	[ "$rrc" = 1 ] || fail "rsync took bad rule '$rule' ($rrc)"
	grep -qF -- "$rword" rsync.err || fail "rsync said otherwise: $(cat rsync.err)"
	expect_usage_error "ucp: $uword: '$rule'" --sync --filter="$rule" src/ u.bad/
}
refused 'bogus x' 'Unknown filter rule: bogus x' 'unknown filter rule'
refused 'x' 'Unknown filter rule: x' 'unknown filter rule'
refused '-' 'unexpected end of filter rule: -' 'unexpected end of filter rule'
refused '+ ' 'unexpected end of filter rule: + ' 'unexpected end of filter rule'

# A merge rule inside a merge file: refused with the rule's line, in the
# words of the other rules ucp lacks (it was "Operation not supported").
printf -- '. merge.plain\n- *.c\n' >nested.rules
expect_usage_error "ucp: nested.rules:1: filter rule not supported" --sync -f'. nested.rules' src/ u.nested/

# Without --sync, -f is still cp's --force; --filter needs --sync.
printf 'data\n' >file
ucp_try -f file file.copy
expect_ok
cmp file file.copy || fail "-f without --sync did not copy"
expect_usage_error "ucp: --filter needs --sync" --filter='- x' file file.copy2
expect_usage_error "ucp: -F needs --sync" -F file file.copy3
