#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# case: data
# SIGINT during a large copy: exit 130, no temporary file left, and every file
# present in the destination is complete.
set -eu
# shellcheck source-path=SCRIPTDIR source=../lib.sh disable=SC1091
. "$TOP/tests/lib.sh"

interrupt_case INT 130
