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
#   scripts/bench.sh store-scale [store_scale.py arguments]
#                                         the central store's ingest rate and ledger query latency at
#                                         10^5…10^7 stored entries, SQLite and PostgreSQL (release
#                                         checkpoint-central, then Benchmarks/system/store_scale.py;
#                                         e.g. --sizes 100000,1000000 --engines postgres --copy)
#   scripts/bench.sh many-gates [many_gates.py arguments]
#                                         2,000 simulated gates (heartbeats, ~0.3 records/s each) against
#                                         one release checkpoint-central on a throwaway PostgreSQL for
#                                         10 minutes: latency, CPU, errors; e.g. --seconds 120 --uplink-cycle
#   scripts/bench.sh all                  everything above, one after the other, on one release build:
#                                         the component suites, drain (SQLite, then PostgreSQL on a
#                                         throwaway server), idle, latency, and every other system script;
#                                         raw outputs in Benchmarks/runs/<UTC time>/, and the table of
#                                         ratios written into Benchmarks/RESULTS.md (system/summary.py)
# On a shared machine run it as `nice -n 19 scripts/bench.sh …`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# A throwaway PostgreSQL (as scripts/test.sh makes one) for `all`; sets PG_URL, stopped on exit.
start_postgres() {
    local bin port
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PG_DIR=$(mktemp -d /tmp/checkpoint-bench-pg.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    as_pg "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >/dev/null
    as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
    # Expanded now: bin is local here, and by exit time the caller's bin names the build folder.
    trap "as_pg '$bin/pg_ctl' -D '$PG_DIR/data' -m immediate stop >/dev/null 2>&1; rm -rf '$PG_DIR'" EXIT
    PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

case "${1:-}" in
    all)
        cd "$root"
        run="Benchmarks/runs/$(date -u +%Y%m%dT%H%M%SZ)"
        mkdir -p "$run"
        swift build -c release >&2
        bin="$(swift build -c release --show-bin-path)"
        (cd Benchmarks && swift package --disable-sandbox benchmark --format markdown --path stdout --no-progress) \
            > "$run/components.md" || echo "bench: the component suites failed (see $run/components.md)" >&2
        start_postgres
        python3 Benchmarks/system/drain.py --bin "$bin" > "$run/drain-sqlite.json" || true
        python3 Benchmarks/system/drain.py --bin "$bin" --db "$PG_URL" > "$run/drain-postgresql.json" || true
        for script in Benchmarks/system/*.py; do
            name=$(basename "$script" .py)
            case $name in drain | summary | one_lane) continue ;; esac
            case $name in store_scale) extra=(--copy) ;; *) extra=() ;; esac
            python3 "$script" --bin "$bin" "${extra[@]}" > "$run/$name.json" || echo "bench: $name failed" >&2
        done
        python3 Benchmarks/system/summary.py "$run" Benchmarks/RESULTS.md
        exit
        ;;
    drain | idle | latency | store-scale | many-gates)
        name=${1//-/_}
        shift
        cd "$root"
        case $name in
            drain) products="checkpointd checkpoint-central checkpoint-sim" ;;
            idle) products="checkpointd checkpointd-floor" ;;
            latency) products="checkpointd" ;;
            store_scale | many_gates) products="checkpoint-central" ;;
        esac
        for product in $products; do swift build -c release --product "$product" >&2; done
        exec python3 "Benchmarks/system/$name.py" --bin "$(swift build -c release --show-bin-path)" "$@"
        ;;
esac
cd "$root/Benchmarks"
exec swift package --disable-sandbox benchmark "$@"
