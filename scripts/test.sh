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
# TLS for the store's sslmode tests: a throwaway CA and a server certificate for DNS:localhost only
# (so that verify-full to 127.0.0.1 must fail), plus an unrelated CA that signed nothing.
TLS_DIR="$PG_DIR/tls"
mkdir -p "$TLS_DIR"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=checkpoint test CA" \
  -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=unrelated CA" \
  -keyout "$TLS_DIR/other-ca.key" -out "$TLS_DIR/other-ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$PG_DIR/data/server.key" -out "$TLS_DIR/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost\n' > "$TLS_DIR/san.ext"
openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial -days 2 \
  -extfile "$TLS_DIR/san.ext" -out "$PG_DIR/data/server.crt" 2>/dev/null
chmod 600 "$PG_DIR/data/server.key"
[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR/data/server.key" "$PG_DIR/data/server.crt"
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on -c ssl=on" start >/dev/null
export CHECKPOINT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export CHECKPOINT_TEST_POSTGRES_CA="$TLS_DIR/ca.crt" CHECKPOINT_TEST_POSTGRES_OTHER_CA="$TLS_DIR/other-ca.crt"
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
# The filters name suites (GateServiceTests, GatePipelineTests and LaneInputTests are suites of the
# GateTests target, PersonOnDutyInputsAtStoreTests of UplinkTests: their debounce and door deadlines
# are tasks on that pool too),
# so every test runs in exactly one of the three processes.
rc=0
LOGS=$root/.build/test-logs
mkdir -p "$LOGS"
summary=()
# stage NAME LOG CMD...: runs CMD with its output also in LOG, notes its exit status for the summary.
stage() {
  local name=$1 log=$2 status=0
  shift 2
  "$@" 2>&1 | tee "$log" || status=$?
  if ((status == 0)); then summary+=("ok      $name"); else summary+=("FAILED  $name (exit $status, log $log)"); rc=$status; fi
}
stage "swift test: the rest" "$LOGS/swift-1.log" \
  timeout -k 10 "$limit" swift test --skip-build --skip CentralTests --skip DeviceIOTests --skip GateServiceTests --skip GatePipelineTests \
    --skip LaneInputTests --skip PersonOnDutyInputsAtStoreTests
stage "swift test: devices and gate timers" "$LOGS/swift-2.log" \
  timeout -k 10 "$limit" swift test --skip-build --filter DeviceIOTests --filter GateServiceTests --filter GatePipelineTests \
    --filter LaneInputTests --filter PersonOnDutyInputsAtStoreTests
stage "swift test: central store" "$LOGS/swift-3.log" timeout -k 10 "$limit" swift test --skip-build --filter CentralTests
# A short run of every fuzz target (docs/fuzzing.md); CHECKPOINT_SKIP_FUZZ=1 skips it.
if [ "${CHECKPOINT_SKIP_FUZZ:-}" != 1 ]; then stage "fuzz (3 s per target)" "$LOGS/fuzz.log" bash scripts/fuzz.sh --seconds 3; fi
# The QEMU tier (docs/vm-tier.md): the package and the device paths on Debian's kernel under systemd.
# CHECKPOINT_SKIP_VM=1 leaves it out (developers iterating on Swift code).
if [ "${CHECKPOINT_SKIP_VM:-0}" != 1 ]; then stage "QEMU tier" "$LOGS/vm.log" bash scripts/vm-test.sh; fi

# The summary comes last, so that the end of the output says what failed.
echo
echo "=== test summary ==="
printf '%s\n' "${summary[@]}"
failed_tests=$(grep -h -E '^✘ Test .* (failed|recorded an issue)' "$LOGS"/swift-*.log 2>/dev/null | cut -c1-300 | sort -u || true)
if [ -n "$failed_tests" ]; then echo "failed Swift tests:"; echo "$failed_tests"; fi
grep -h -E '^✘ ' "$LOGS/vm.log" 2>/dev/null | cut -c1-300 || true
exit $rc
