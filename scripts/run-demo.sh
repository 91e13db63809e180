#!/usr/bin/env bash
# Runs the gate with simulated devices. Grows with each capability.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build
echo "run-demo: not built yet (see README.md, Status)" >&2
exit 2
