#!/bin/bash
# run-one.sh FILE --list   prints "function<TAB>time limit (s)<TAB>name" for each test FILE declares
# run-one.sh FILE FUNCTION runs one test: its cleanups (on_exit) run however it ends.
set -euo pipefail
. /mnt/host/guest/lib.sh
. "$1"
if [ "$2" = --list ]; then
  for i in "${!TEST_FUNCTIONS[@]}"; do printf '%s\t%s\t%s\n' "${TEST_FUNCTIONS[$i]}" "${TEST_LIMITS[$i]}" "${TEST_NAMES[$i]}"; done
  exit 0
fi
"$2"
echo "PASS"
