#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGHUP (a closed terminal, a dropped ssh session) during a large copy
# stops it like SIGTERM: exit 129, no temporary file left, every file
# present complete. Started with SIGHUP ignored (nohup), ucp keeps going.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case HUP 129

# nohup: the signal is ignored, the copy completes.
ignored_case HUP
