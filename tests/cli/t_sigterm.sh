#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGTERM during a large copy: exit 143, no temporary file left, and every file
# present in the destination is complete.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case TERM 143

# The signal sent twice, the second during the cleanup (timeout(1) sends
# it to ucp, then to its process group): the second is not taken for a
# second interrupt, which kills at once; the cleanup ends as after one.
# (The test hook stops ucp right after it took the first.)
rm -rf dst
UCP_TEST_STOP_ON_SIGNAL=1 stop_start 1000 -r src dst
kill -s TERM "$STOP_PID"
kill -s CONT "$STOP_PID"
wait_stopped "$STOP_PID"
kill -s TERM "$STOP_PID"
stop_resume
expect_rc 143 "after SIGTERM twice"
cmp_subset src dst
assert_no_tmp dst

# The run ends by the signal itself, as cp does: its parent sees it killed
# (a shell's loop of runs stops at Ctrl-C; exit(130) read as a signal the
# child handled, and the loop went on). perl's system() tells the two.
command -v perl >/dev/null || skip "perl is not installed (it tells a signal's death from an exit)"
if has_hooks; then
	for sig in INT TERM HUP; do
		rm -rf dst
		ucp_cmd
		got=$(UCP_TEST_STOP_AFTER=5 perl -e '
			my $sig = shift;
			$SIG{$sig} = "DEFAULT";
			my $pid = fork() // die "fork: $!";
			if (!$pid) { exec @ARGV or die "exec: $!" }
			while (1) {
				open(my $f, "<", "/proc/$pid/stat") or die;
				my $st = (split / /, <$f>)[2];
				close($f);
				last if $st eq "T";
				select(undef, undef, undef, 0.01);
			}
			kill $sig, $pid;
			kill "CONT", $pid;
			waitpid($pid, 0);
			print $? & 127, " ", $? >> 8, "\n";
		' "$sig" "${UCP_CMD[@]}" -r src dst 2>/dev/null)
		want="$(kill -l "$sig") 0"
		[ "$got" = "$want" ] || fail "after SIG$sig ucp ended '$got' (signal, status), not '$want'"
		[ -z "$(find dst -name '.ucp-*')" ] || fail "SIG$sig left a temporary: $(find dst -name '.ucp-*')"
	done
fi
