#!/usr/bin/env bash
# Benchmarks (release builds; not part of scripts/test.sh). See Benchmarks/README.md.
#   scripts/bench.sh [plugin arguments]   the component suites of the Benchmarks/ package, e.g.
#                                         scripts/bench.sh --filter "Policy.*"   scripts/bench.sh thresholds check
#   scripts/bench.sh drain [drain.py arguments]
#                                         the system benchmark of a backlog drained by checkpointd into
#                                         checkpoint-central (release build of this package, then
#                                         Benchmarks/system/drain.py; e.g. --records 100000 --db postgres://…)
#   scripts/bench.sh store-scale [store_scale.py arguments]
#                                         the central store's ingest rate and ledger query latency at
#                                         10^5…10^7 stored entries, SQLite and PostgreSQL (release
#                                         checkpoint-central, then Benchmarks/system/store_scale.py;
#                                         e.g. --sizes 100000,1000000 --engines postgres --copy)
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
if [ "${1:-}" = store-scale ]; then
    shift
    cd "$root"
    swift build -c release --product checkpoint-central >&2
    exec python3 Benchmarks/system/store_scale.py --bin "$(swift build -c release --show-bin-path)" "$@"
fi
cd "$root/Benchmarks"
exec swift package --disable-sandbox benchmark "$@"
