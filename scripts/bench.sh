#!/usr/bin/env bash
# Runs the benchmarks of the hot paths (the separate package in Benchmarks/, release build).
# Not part of scripts/test.sh. Arguments go to the benchmark plugin, e.g.
#   scripts/bench.sh --filter "Policy.*"      scripts/bench.sh thresholds check
# On a shared machine run it as `nice -n 19 scripts/bench.sh`. See Benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/../Benchmarks"
exec swift package --disable-sandbox benchmark "$@"
