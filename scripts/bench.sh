#!/usr/bin/env bash
# Benchmarks (release builds; not part of scripts/test.sh). See Benchmarks/README.md.
#   scripts/bench.sh [plugin arguments]   the component suites of the Benchmarks/ package, e.g.
#                                         scripts/bench.sh --filter "Policy.*"   scripts/bench.sh thresholds check
#   scripts/bench.sh drain [drain.py arguments]
#                                         the system benchmark of a backlog drained by checkpointd into
#                                         checkpoint-central (release build of this package, then
#                                         Benchmarks/system/drain.py; e.g. --records 100000 --db postgres://…)
# On a shared machine run it as `nice -n 19 scripts/bench.sh …`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "${1:-}" = drain ]; then
    shift
    cd "$root"
    swift build -c release --product checkpointd >&2
    swift build -c release --product checkpoint-central >&2
    swift build -c release --product checkpoint-sim >&2
    exec python3 Benchmarks/system/drain.py --bin "$(swift build -c release --show-bin-path)" "$@"
fi
cd "$root/Benchmarks"
exec swift package --disable-sandbox benchmark "$@"
