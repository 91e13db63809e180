#!/usr/bin/env bash
# The whole product on one machine (docs/demo.md):
#   checkpoint-central  the central store, on an SQLite file, on 127.0.0.1 (a free port);
#   checkpoint-sim      an LU90614 body thermometer, a GM65 serial QR scanner, a SAM ID card reader
#                       and an XY-MD02 air sensor (Modbus RTU) behind pseudo-terminals, speaking
#                       their real protocols;
#   checkpointd         the gate, with its log on this terminal, configured for those devices,
#                       with simulated relay / indicator / amplifier lines and the horn playing into
#                       a WAV file (no sound card needed), forwarding its journal to the store;
# while a scripted scenario drives the simulator (people with normal and fever temperatures, an
# unknown, a denied and a red-listed code, garbage bytes, a bad checksum, a thermometer unplugged
# and plugged back) and finally prints what the gate journaled and what the central store received.
#
# Usage: scripts/run-demo.sh [--duration SECONDS]
#   Without --duration the gate keeps running after the scenario until Ctrl-C (or SIGTERM).
#   --duration SECONDS (or DEMO_DURATION): stop by itself SECONDS after the gate started, or right
#   after the scenario's summary if that comes later.
# Environment:
#   DEMO_SKIP_BUILD=1   skip scripts/install-deps.sh and `swift build` (take the executables from
#                       DEMO_BIN, default .build/debug) — for tests that already built everything.
# Exit status: 0 = every part started and every entry of the scenario (admitted, refused, referred)
# reached the central store; 1 = a part failed to start, or checkpointd exited by itself; 2 = not
# every entry of the scenario reached the store;
# 130 / 143 = stopped by Ctrl-C / SIGTERM (everything is stopped and the temp dir removed anyway).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CATALOG="$ROOT/Devices"

DURATION=${DEMO_DURATION:-}
while (($#)); do
  case "$1" in
    --duration) DURATION=${2:?--duration needs SECONDS}; shift 2 ;;
    --duration=*) DURATION=${1#--duration=}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-demo: unknown argument $1 (try --help)" >&2; exit 64 ;;
  esac
done
[[ -z "$DURATION" || "$DURATION" =~ ^[0-9]+$ ]] || { echo "run-demo: --duration wants whole seconds" >&2; exit 64; }

# The demo's names: one street office → community → checkpoint → this gate (docs/central-api.md).
GATE_ID="demo-gate"
CHECKPOINT_ID="cp-north"
VALID_PREFIX="https://hc.example.gov.cn/"          # the policy accepts codes with this prefix
DENIED_CODE="${VALID_PREFIX}revoked/0001"           # ... except this one (policy deny list)
RED_CODE="${VALID_PREFIX}c/000007"                  # put on the central watch list as red
NOBODY_CELSIUS=22.0                                 # what the thermometer sees with nobody there
RESIDENT_NUMBER=110101199003071233                  # the simulator's sample resident card (made up)

# The scenario's narration on stdout (bold on a terminal, between checkpointd's log lines).
if [ -t 1 ]; then say() { printf '\033[1mrun-demo ▶ %s\033[0m\n' "$*"; }; else say() { printf 'run-demo ▶ %s\n' "$*"; }; fi
die() { echo "run-demo: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Processes and cleanup: every child is started in the background, remembered by PID, and stopped
# by PID (SIGTERM, then SIGKILL after 5 s) when the script exits for any reason.
# ---------------------------------------------------------------------------------------------
WORK=""
PIDS=()              # started children, in start order
GATE_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local i pid
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do      # the gate first, the store last
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; pause 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo; say "stopping (Ctrl-C)"; exit 130' INT
trap 'say "stopping (SIGTERM)"; exit 143' TERM

# pause SECONDS: waits without a child process (a `sleep` would outlive a killed script); the
# read on a FIFO that this shell holds open for writing never gets data and never sees EOF.
PAUSE_FD=""
pause() { read -r -t "$1" -u "$PAUSE_FD" _ 2>/dev/null || true; }

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 0.2 s until it succeeds; fails after SECONDS.
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ -z "$GATE_PID" ] || gate_alive || die "checkpointd exited while waiting for $what"
    ((SECONDS < deadline)) || { echo "run-demo: timed out after ${seconds} s waiting for $what" >&2; return 1; }
    pause 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# 1. Build (debug) — or take what a test already built.
# ---------------------------------------------------------------------------------------------
build() {
  if [ "${DEMO_SKIP_BUILD:-0}" = 1 ]; then
    BIN=${DEMO_BIN:-$ROOT/.build/debug}
  else
    bash scripts/install-deps.sh
    swift build
    BIN=$(swift build --show-bin-path)
  fi
  local exe
  for exe in checkpointd checkpointctl checkpoint-central checkpoint-sim; do
    [ -x "$BIN/$exe" ] || die "$BIN/$exe is missing (build first, or unset DEMO_SKIP_BUILD)"
  done
}

make_workdir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-demo-XXXXXX")
  mkfifo "$WORK/.pause"
  exec {PAUSE_FD}<>"$WORK/.pause"
}

# ---------------------------------------------------------------------------------------------
# 2. The central store: places, the gate's credential, an admin token, then `serve`.
# ---------------------------------------------------------------------------------------------
central() { "$BIN/checkpoint-central" "$@" --db "sqlite:$WORK/central.sqlite" 2>>"$WORK/central.log"; }

start_central() {
  cat > "$WORK/places.json" <<JSON
{"streets": [{"id": "street-demo", "name": "示范街道办事处",
  "communities": [{"id": "community-demo", "name": "示范社区",
    "checkpoints": [{"id": "$CHECKPOINT_ID", "name": "北门卡点",
      "gates": [{"id": "$GATE_ID"}]}]}]}]}
JSON
  central places import "$WORK/places.json" >/dev/null || die "places import failed: $(tail -3 "$WORK/central.log")"

  # `gate register` prints GATE:SECRET once; the gate's secrets file holds the secret, mode 0600.
  local credential
  credential=$(central gate register --id "$GATE_ID" --checkpoint "$CHECKPOINT_ID") || die "gate register failed"
  (umask 077 && printf '%s\n' "${credential#*:}" > "$WORK/gate.secret")
  chmod 600 "$WORK/gate.secret"

  # An administrator token for reading the ledgers (kept hashed in the store).
  ADMIN_TOKEN=$(central admin-token create --label demo) || die "admin-token create failed"

  # Port 0: the store takes a free port and says which in its `listening` log line.
  "$BIN/checkpoint-central" serve --db "sqlite:$WORK/central.sqlite" --listen 127.0.0.1:0 \
    >/dev/null 2>"$WORK/central-serve.log" &
  PIDS+=($!)
  local pid=$!
  wait_for 20 "checkpoint-central to listen" grep -q '"msg":"listening"' "$WORK/central-serve.log" \
    || { kill -0 "$pid" 2>/dev/null || cat "$WORK/central-serve.log" >&2; die "checkpoint-central did not start"; }
  local port
  port=$(grep -o '"msg":"listening".*' "$WORK/central-serve.log" | grep -o '"port":"[0-9]*"' | head -1 | tr -dc 0-9)
  [ -n "$port" ] || die "no port in the central store's listening line"
  CENTRAL_URL="http://127.0.0.1:$port"
  say "central store: $CENTRAL_URL (SQLite $WORK/central.sqlite; log $WORK/central-serve.log)"
}

# Reads an admin route of the central store (`curl` — the store has no CLI for ledgers).
central_get() { local route=$1; shift; curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" "$@" "$CENTRAL_URL$route"; }

# ---------------------------------------------------------------------------------------------
# 3. Simulated devices: commands go to the simulator's control FIFO (docs/simulator.md).
# ---------------------------------------------------------------------------------------------
start_simulator() {
  "$BIN/checkpoint-sim" run --catalog "$CATALOG" --dir "$WORK/dev" --control "$WORK/sim.control" --no-stdin \
    --device "lu90614:name=thermo-north,celsius=$NOBODY_CELSIUS" \
    --device gm65:name=scanner-north \
    --device sam-module-serial:name=idcard-north \
    --device xy-md02:name=air,celsius=17.5 \
    > "$WORK/sim.out" 2> "$WORK/sim.err" &
  PIDS+=($!)
  local pid=$!
  wait_for 10 "checkpoint-sim to be ready" grep -q '^ready:' "$WORK/sim.out" \
    || { cat "$WORK/sim.err" >&2; die "checkpoint-sim did not start"; }
  kill -0 "$pid" 2>/dev/null || { cat "$WORK/sim.err" >&2; die "checkpoint-sim exited"; }
  say "simulated devices (name, link, model, pty):"
  grep -v '^ready:' "$WORK/sim.out" | sed 's/^/    /'
}

sim() { echo "$*" > "$WORK/sim.control"; }   # one runtime command; the reply goes to sim.out

# ---------------------------------------------------------------------------------------------
# 4. The gate's configuration (docs/configuration.md, gate.md, policy.md, horn.md).
# ---------------------------------------------------------------------------------------------
write_gate_config() {
  # The horn plays to ALSA's file plugin over the null PCM: no sound card needed, and the last
  # announcement can be listened to in horn.wav (FACTS.md "Audio"). Only checkpointd sees it.
  cat > "$WORK/alsa.conf" <<ALSA
pcm.demohorn { type file; slave.pcm "null"; file "$WORK/horn.wav"; format "wav" }
ALSA
  # The district key (the same on every gate of a district) and the one resident's keyed hash.
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$WORK/district.key"
  chmod 600 "$WORK/district.key"
  RESIDENT_HASH=$(printf %s "$RESIDENT_NUMBER" | openssl dgst -sha256 -hmac "$(cat "$WORK/district.key")" | awk '{print $NF}')
  cat > "$WORK/gate.toml" <<TOML
# Demo configuration written by scripts/run-demo.sh.
gate = "$GATE_ID"
catalog = "$CATALOG"

[[device]]
id = "thermo-north"
model = "lu90614"
path = "$WORK/dev/thermo-north"

[[device]]
id = "scanner-north"
model = "gm65"
path = "$WORK/dev/scanner-north"

[[device]]                       # a resident ID card reader (docs/idcards.md)
id = "idcard-north"
model = "sam-module-serial"
path = "$WORK/dev/idcard-north"

[[device]]                       # an air sensor: read and reported, never used for the fever rule
id = "air"
model = "xy-md02"
path = "$WORK/dev/air"

[[lane]]
id = "north-in"
direction = "in"
scanner = "scanner-north"
idReaders = ["idcard-north"]
registration = true              # a visitor's card here is registered (name, number, address to the store)
thermometer = "thermo-north"
relay = { simulated = "relay-north", pulseMs = 800 }
indicators = { green = { simulated = "green-north" }, red = { simulated = "red-north" }, showMs = 2000 }

[policy]
label = "demo-1"
feverDecision = "refuse"          # a fever is refused (default: refer to the person on duty)
unrecognizedDecision = "refer"    # an unknown code is referred (default: refuse)
readingWithoutScan = "ignore"     # the simulated person keeps being measured after their decision
readingMaxAgeMs = 1500
pairingWindowMs = 3000            # how long a scan waits for its reading (default 5000)
deny = ["$DENIED_CODE"]
[policy.idCard]
districtKeyFile = "$WORK/district.key"
residents = ["$RESIDENT_HASH"]    # HMAC-SHA256 of the resident's citizen number with the district key
[[policy.credentialRule]]
name = "health-code"
prefix = "$VALID_PREFIX"
action = "accept"

[central]
url = "$CENTRAL_URL"
secretsFile = "$WORK/gate.secret"
heartbeatSeconds = 1              # the watch list change reaches the gate within a second
backoffInitialMs = 100
backoffMaxMs = 2000

[journal]
path = "$WORK/journal.sqlite"
minimumFreeMB = 0

[horn]
device = "demohorn"
speechCache = "${XDG_CACHE_HOME:-$HOME/.cache}/checkpoint/speech"
amplifier = { simulated = "amplifier" }
warmupMs = 150
tailMs = 500
TOML
  "$BIN/checkpointd" --config "$WORK/gate.toml" --check >"$WORK/check.out" 2>&1 \
    || { cat "$WORK/check.out" >&2; die "the demo configuration does not validate"; }
}

# ---------------------------------------------------------------------------------------------
# 5. The gate, in the background of this script but with its log on this terminal.
# ---------------------------------------------------------------------------------------------
SOCKET=""
start_gate() {
  SOCKET="$WORK/control.sock"
  say "checkpointd --config $WORK/gate.toml --control-socket $SOCKET"
  ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$WORK/alsa.conf" \
    "$BIN/checkpointd" --config "$WORK/gate.toml" --control-socket "$SOCKET" &
  GATE_PID=$!
  PIDS+=("$GATE_PID")
  GATE_STARTED=$SECONDS
  wait_for 20 "checkpointd's control socket" ctl journal || die "checkpointd did not start"
}

ctl() { "$BIN/checkpointctl" "$@" --socket "$SOCKET"; }
gate_alive() { kill -0 "$GATE_PID" 2>/dev/null; }

# The journal's state, as checkpointctl reports it ("seq  last N, acknowledged through M, backlog K",
# "watch list version V"). (`--last 1`: the summary lines plus one entry.)
last_seq() { ctl journal --last 1 | grep -o 'last [0-9]*' | head -1 | tr -dc 0-9; }
seq_at_least() { local s; s=$(last_seq) && [ "${s:-0}" -ge "$1" ]; }
backlog_empty() { ctl journal --last 1 | grep -q 'backlog 0'; }
watch_list_fetched() { ctl journal --last 1 | grep -Eq 'watch list version [1-9]'; }

PEOPLE=0             # entries the scenario expects in the journal
# step_up CELSIUS|- SHOW WHAT [AFTER]: a person steps up (measured at CELSIUS, or not measured: -),
# shows their credential (SHOW: a simulator command), the scenario waits for the gate's decision
# and prints the journal line; AFTER (a simulator command) runs once decided.
step_up() {
  local celsius=$1 show=$2 what=$3 after=${4:-}
  say "person $((PEOPLE + 1)): $what"
  if [ "$celsius" != - ]; then
    sim "thermo-north set $celsius"
    pause 1.3                     # the thermometer is polled once a second
  fi
  sim "$show"
  PEOPLE=$((PEOPLE + 1))
  if wait_for 10 "the decision on person $PEOPLE" seq_at_least "$PEOPLE"; then
    ctl journal --last 1 | tail -1 | sed 's/^/    journal: /'
  else
    SCENARIO_OK=0
  fi
  [ -z "$after" ] || sim "$after"
  sim "thermo-north set $NOBODY_CELSIUS"
  pause 2                         # the reading goes stale before the next person
}

# person CELSIUS|- CODE WHAT: shows CODE to the scanner.
person() { step_up "$1" "scanner-north scan $2" "$3"; }

# card_person CELSIUS CARD WHAT: lays their ID card (the simulator's sample `resident` or `visitor`)
# on the reader, and takes it away once decided.
card_person() { step_up "$1" "idcard-north present $2" "$3" "idcard-north remove"; }

# ---------------------------------------------------------------------------------------------
# The scenario.
# ---------------------------------------------------------------------------------------------
SCENARIO_OK=1
run_scenario() {
  pause 2                         # let the devices open and the first readings arrive
  person 36.6 "${VALID_PREFIX}c/000001" "a valid health code at 36.6 °C → admit"
  person 38.5 "${VALID_PREFIX}c/000002" "a valid health code at 38.5 °C → fever, refuse"
  person 36.5 "HELLO-WORLD-123" "a code no rule accepts → refer, codeUnrecognized"
  person - "$DENIED_CODE" "a revoked code (policy deny list) → refuse at once, codeDenied"

  say "the central store puts $RED_CODE on the watch list (red); the gate fetches it"
  central_get /v1/watchlist/entries -X POST -H 'Content-Type: application/json' \
    -d "{\"upserts\": [{\"credential\": \"$RED_CODE\", \"colour\": \"red\", \"isolation\": true, \"reason\": \"demo: home isolation\"}], \"removals\": []}" \
    >/dev/null || SCENARIO_OK=0
  wait_for 10 "the gate to fetch the watch list" watch_list_fetched || SCENARIO_OK=0
  person - "$RED_CODE" "a red-listed code → refuse at once, watchListed"

  say "garbage: a burst of noise from the scanner, two garbled thermometer frames, one bad checksum"
  sim "scanner-north noise"
  sim "thermo-north garbage 2"
  pause 2.2
  sim "thermo-north badsum 1"
  pause 1.5

  say "the thermometer is unplugged"
  sim "thermo-north disconnect 0"
  pause 4                         # the lane notices the missing thermometer
  person - "${VALID_PREFIX}c/000003" "a valid code while the thermometer is gone → refer at once (thermometerMissing)"
  say "the thermometer is plugged back in"
  sim "thermo-north connect"
  pause 3
  person 36.7 "${VALID_PREFIX}c/000004" "a valid code at 36.7 °C after the replug → admit"
  card_person 36.5 resident "a resident's ID card at 36.5 °C → admit (only the keyed hash leaves the lane)"
  card_person 36.6 visitor "a visitor's ID card at 36.6 °C → refer, registered (visitorRegistration)"

  wait_for 15 "the uplink to empty the backlog" backlog_empty || SCENARIO_OK=0
  print_summary
}

# ---------------------------------------------------------------------------------------------
# What the gate journaled and what the central store received.
# ---------------------------------------------------------------------------------------------
print_summary() {
  say "checkpointctl journal --socket $SOCKET"
  ctl journal --last 20 | sed 's/^/    /' || true
  say "checkpointctl uplink --socket $SOCKET"
  ctl uplink | sed 's/^/    /' || true
  say "central store: ledger of checkpoint $CHECKPOINT_ID (GET /v1/ledgers/checkpoint/$CHECKPOINT_ID?format=csv)"
  local csv
  csv=$(central_get "/v1/ledgers/checkpoint/$CHECKPOINT_ID?format=csv" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//') || csv=""
  # occurred_at, gate, lane, decision, reason, credential_payload, temperature_c, seq
  echo "$csv" | awk -F, 'NF > 20 { printf "    %-24s %-9s %-8s %-9s %-17s %-38s %-6s %s\n", $1, $5, $6, $8, $9, $11, $13, $21 }'
  say "central store: entries per hour and decision (GET .../hourly?format=csv)"
  central_get "/v1/ledgers/checkpoint/$CHECKPOINT_ID/hourly?format=csv" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//; s/^/    /' || true
  say "central store: visitors' register (GET /v1/registrations?format=csv)"
  central_get "/v1/registrations?format=csv" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' | cut -d, -f1-6 | sed 's/^/    /' || true
  say "central store: alerts (GET /v1/alerts?format=csv)"
  central_get "/v1/alerts?format=csv" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' | cut -d, -f2,5-9 | sed 's/^/    /' || true
  if [ -s "$WORK/horn.wav" ]; then
    say "horn: the last announcement went to $WORK/horn.wav ($(soxi -D "$WORK/horn.wav" 2>/dev/null || echo '?') s)"
  fi

  # One machine-readable line (the demo's test reads it): entries at the store by decision and reason.
  local entries decisions reasons
  entries=$(echo "$csv" | awk -F, 'NR > 1 && NF > 20' | wc -l)
  decisions=$(echo "$csv" | awk -F, 'NR > 1 && NF > 20 { n[$8]++ } END { for (d in n) printf "%s=%d ", d, n[d] }' | xargs -n1 | sort | xargs)
  reasons=$(echo "$csv" | awk -F, 'NR > 1 && NF > 20 { n[$9]++ } END { for (r in n) printf "%s=%d ", r, n[r] }' | xargs -n1 | sort | xargs)
  echo "run-demo summary: journaled=$(last_seq) central=$entries decisions: $decisions reasons: $reasons"
  if echo "$reasons" | grep -q 'admitted=' && echo "$reasons" | grep -q 'fever=' && [ "$entries" -ge "$PEOPLE" ]; then
    say "every entry of the scenario reached the central store"
  else
    SCENARIO_OK=0
    say "NOT every entry of the scenario reached the central store (expected $PEOPLE)"
  fi
}

# ---------------------------------------------------------------------------------------------
main() {
  build
  make_workdir
  start_central
  start_simulator
  write_gate_config
  start_gate
  say "poke it from another terminal (more in docs/demo.md):"
  echo "    W=$WORK BIN=$BIN"
  echo "    echo 'thermo-north set 38.9' > \$W/sim.control; echo 'scanner-north scan ${VALID_PREFIX}x' > \$W/sim.control"
  echo "    \$BIN/checkpointctl journal --socket \$W/control.sock   (also: uplink, devices, probe thermo-north, horn queue)"
  run_scenario
  if [ -n "$DURATION" ]; then
    local left=$((DURATION - (SECONDS - GATE_STARTED)))
    ((left > 0)) && pause "$left"
    say "--duration $DURATION reached: stopping"
  else
    say "the scenario is over; the gate keeps running — Ctrl-C stops everything"
    wait "$GATE_PID" || { local s=$?; echo "run-demo: checkpointd exited with status $s" >&2; exit 1; }
    echo "run-demo: checkpointd exited by itself" >&2; exit 1
  fi
  gate_alive || { echo "run-demo: checkpointd is no longer running" >&2; exit 1; }
  ((SCENARIO_OK)) || exit 2
  exit 0
}

main
