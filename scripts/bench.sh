#!/usr/bin/env bash
# Benchmarks (release builds; not part of scripts/test.sh). See Benchmarks/README.md.
#   scripts/bench.sh [plugin arguments]   the component suites of the Benchmarks/ package, e.g.
#                                         scripts/bench.sh --filter "Policy.*"   scripts/bench.sh thresholds check
#   scripts/bench.sh drain [drain.py arguments]
#                                         the system benchmark of a backlog drained by checkpointd into
#                                         checkpoint-central (release build of this package, then
#                                         Benchmarks/system/drain.py; e.g. --records 100000 --db postgres://…)
#   scripts/bench.sh idle [idle.py arguments]
#                                         the idle gate: checkpointd (1 Hz thermometer, idle scanner, on PTYs)
#                                         beside Debian's gpsd and checkpointd-floor for 60 s (needs gpsd:
#                                         apt-get install gpsd); e.g. --seconds 60
#   scripts/bench.sh latency [latency.py arguments]
#                                         decision latency through checkpointd (scan's last byte → entry
#                                         committed, relay driven) beside fsync; e.g. --people 10000
# On a shared machine run it as `nice -n 19 scripts/bench.sh …`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
case "${1:-}" in
    drain | idle | latency)
        name=$1
        shift
        cd "$root"
        case $name in
            drain) products="checkpointd checkpoint-central checkpoint-sim" ;;
            idle) products="checkpointd checkpointd-floor" ;;
            latency) products="checkpointd" ;;
        esac
        for product in $products; do swift build -c release --product "$product" >&2; done
        exec python3 "Benchmarks/system/$name.py" --bin "$(swift build -c release --show-bin-path)" "$@"
        ;;
esac
cd "$root/Benchmarks"
exec swift package --disable-sandbox benchmark "$@"
