#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGINT during a large copy: exit 130, no temporary file left, and every file
# present in the destination is complete. Started with SIGINT ignored, ucp
# keeps going.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case INT 130

# Started with SIGINT ignored (a shell's background job, trap '' INT), ucp
# keeps going when Ctrl-C reaches the terminal's process group, as cp does.
ignored_case INT
