#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: once
# --sync --dry-run -v lists what a real run would copy or make, one
# "'src/x' -> 'dst/x'" line each, as rsync -nv lists it (it printed
# nothing, which reads as "nothing to do"), and changes nothing; the lines
# are those -v prints in the real run.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

mkdir -p S/sub U
printf 'a\n' >S/a
printf 'same\n' >S/same
ln -s a S/l
printf 'q\n' >S/sub/q
ln S/sub/q S/sub/q2
cp -p S/same U/same
printf 'old\n' >U/a

snap() { (cd U && find . -printf '%p %y %s %T@ %i\n' | LC_ALL=C sort); }
before=$(snap)
ucp_try --sync --dry-run -v S U
expect_ok
[ "$(snap)" = "$before" ] || fail "the dry run changed the mirror"
LC_ALL=C sort "$T_OUT" >dry.txt
want="'S/a' -> 'U/a'
'S/l' -> 'U/l'
'S/sub' -> 'U/sub'
'S/sub/q' -> 'U/sub/q'
'S/sub/q2' -> 'U/sub/q2'"
[ "$(cat dry.txt)" = "$want" ] || fail "the dry run listed: $(cat dry.txt)"

# The real run prints the same lines.
ucp_try --sync -v S U
expect_ok
LC_ALL=C sort "$T_OUT" >real.txt
cmp dry.txt real.txt || fail "the real run listed otherwise: $(cat real.txt)"

# --delete -v names what goes, as rsync -v ("deleting NAME"), in a dry run
# and in the real one (nothing was said of the deletions).
rm -rf vs vm
mkdir -p vs vm/old/sub
printf 'a\n' >vs/a
: >vm/old/sub/x
: >vm/gone
ucp_try --sync --delete -v --dry-run vs vm
expect_ok
expect_out_line "deleting gone"
expect_out_line "deleting old/"
ucp_try --sync --delete -v vs vm
expect_ok
expect_out_line "deleting gone"
expect_out_line "deleting old/sub/x"
expect_out_line "deleting old/"
assert_absent vm/gone vm/old

# A mirror the run could not make (its parent missing, or a file): the dry
# run says so as the run does, exit 1 (it listed all as made, exit 0).
printf 'x\n' >afile
for dst in nowhere/m afile/m; do
	ucp_try --sync --dry-run --itemize-changes S "$dst"
	expect_rc 1 "a dry run into $dst"
	dry=$(cat "$T_ERR")
	ucp_try --sync S "$dst"
	expect_rc 1 "a run into $dst"
	[ "$(cat "$T_ERR")" = "$dry" ] || fail "into $dst the dry run said '$dry', the run '$(cat "$T_ERR")'"
done
assert_absent nowhere

# The dry run counts what the run counts: unchanged names of a hard-link
# group, and files linked from --link-dest, are skipped in both (the dry
# run left them out: its counts and its progress fell short).
mkdir -p L/sub
printf 'a\n' >L/a
ln L/a L/b
ln L/a L/sub/c
printf 'x\n' >L/x
ucp_try --sync L Lm
expect_ok
skipped() { sed -n 's/^Skipped: *//p' "$T_ERR"; }
ucp_try --sync --dry-run --stats L Lm
dry=$(skipped)
ucp_try --sync --stats L Lm
[ "$dry" = "$(skipped)" ] && [ "$dry" = 4 ] || fail "skipped: dry run $dry, run $(skipped), not 4"
printf 'new\n' >L/new
ucp_try --sync --dry-run --stats --link-dest=../Lm L Ls
dry=$(skipped)
assert_absent Ls
ucp_try --sync --stats --link-dest=../Lm L Ls
[ "$dry" = "$(skipped)" ] && [ "$dry" = 2 ] || fail "--link-dest skipped: dry run $dry, run $(skipped), not 2"

# -v with --itemize-changes: the itemized lines alone, as rsync -vi prints
# them (each change came twice, in two formats).
mkdir V
printf 'v\n' >V/v
ucp_try --sync -v --itemize-changes V Vm
expect_ok
[ "$(cat "$T_OUT")" = "cd+++++++++ ./
>f+++++++++ v" ] || fail "-v --itemize-changes printed: $(cat "$T_OUT")"
