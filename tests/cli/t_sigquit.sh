#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGQUIT (Ctrl-\) during a large copy stops it like SIGTERM: exit 131, no
# temporary file left, and every file present complete.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case QUIT 131
