#!/usr/bin/env bash
# Runs every test of the project: installs what is missing, starts a throwaway PostgreSQL on a
# private port and socket directory, builds, runs `swift test`, and stops PostgreSQL again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bash scripts/install-deps.sh

# --- a private PostgreSQL for the central store's conformance tests --------------------------
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_DIR=$(mktemp -d /tmp/checkpoint-pg.XXXXXX)
# A free port, so that two test runs on one machine do not collide.
PG_PORT=${CHECKPOINT_TEST_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
stop_pg() {
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_pg EXIT
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
export CHECKPOINT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export CHECKPOINT_TEST_PYTHON="$root/.venv/bin/python"

# --- build and test ---------------------------------------------------------------------------
swift build --build-tests
limit=${CHECKPOINT_TEST_TIMEOUT:-1200}
if (($#)); then
  timeout -k 10 "$limit" swift test --skip-build "$@"
  exit
fi
# Three test processes, one after the other. Swift Testing runs a process's suites concurrently on
# one pool of worker threads, one per core (two here): the central store's suites (an in-process HTTP
# server, SQLite) and the device and gate-timer suites (event loops, control sockets and pairing
# timers with second-scale deadlines) must not wait behind each other's work on those two threads.
rc=0
timeout -k 10 "$limit" swift test --skip-build --skip CentralTests --skip DeviceIOTests --skip GateServiceTests || rc=$?
timeout -k 10 "$limit" swift test --skip-build --filter DeviceIOTests --filter GateServiceTests || rc=$?
timeout -k 10 "$limit" swift test --skip-build --filter CentralTests || rc=$?
# The QEMU tier (docs/vm-tier.md): the package and the device paths on Debian's kernel under systemd.
# CHECKPOINT_SKIP_VM=1 leaves it out (developers iterating on Swift code).
if [ "${CHECKPOINT_SKIP_VM:-0}" != 1 ]; then
  bash scripts/vm-test.sh || rc=$?
fi
exit $rc
