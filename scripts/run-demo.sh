#!/usr/bin/env bash
# Runs the gate with simulated devices: checkpoint-sim makes three thermometers behind
# pseudo-terminals (stable links in a temporary folder), a demo configuration points checkpointd at
# them, and checkpointd runs in the foreground logging readings. A short scripted scenario (fever,
# garbage bytes, a bad checksum, an unplug and replug) plays in the background. Ctrl-C stops both.
#
# While it runs, from another terminal (paths are printed below):
#   echo "thermo-north set 38.6" > $WORK/sim.control       # any checkpoint-sim command (docs/simulator.md)
#   .build/debug/checkpointctl probe thermo-north --socket $WORK/control.sock
#   .build/debug/checkpointctl devices --socket $WORK/control.sock
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/install-deps.sh
swift build
BIN=$(swift build --show-bin-path)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/checkpoint-demo-XXXXXX")
SIM_PID=""
SCENARIO_PID=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$SCENARIO_PID" ] && kill "$SCENARIO_PID" 2>/dev/null || true
  [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$BIN/checkpoint-sim" run --catalog "$ROOT/Devices" --dir "$WORK/dev" --control "$WORK/sim.control" --no-stdin \
  --device lu90614:name=thermo-north,celsius=36.6 \
  --device gd60914:name=thermo-south,celsius=36.9 \
  --device xy-md02:name=air,celsius=17.5 \
  > "$WORK/sim.out" 2> "$WORK/sim.err" &
SIM_PID=$!

for _ in $(seq 1 100); do
  grep -q '^ready:' "$WORK/sim.out" 2>/dev/null && break
  kill -0 "$SIM_PID" 2>/dev/null || { cat "$WORK/sim.err" >&2; echo "run-demo: checkpoint-sim failed" >&2; exit 1; }
  sleep 0.1
done
grep -q '^ready:' "$WORK/sim.out" || { echo "run-demo: checkpoint-sim did not become ready" >&2; exit 1; }
echo "run-demo: simulated devices (name, link, model, pty):"
grep -v '^ready:' "$WORK/sim.out" | sed 's/^/  /'

cat > "$WORK/gate.toml" <<TOML
# Demo configuration written by scripts/run-demo.sh (format: docs/configuration.md).
gate = "demo-gate"
catalog = "$ROOT/Devices"

[[device]]
id = "thermo-north"
model = "lu90614"
path = "$WORK/dev/thermo-north"

[[device]]
id = "thermo-south"
model = "gd60914"
path = "$WORK/dev/thermo-south"

[[device]]
id = "air"
model = "xy-md02"
path = "$WORK/dev/air"

[calibration]
thermo-north = 0.2
TOML

# The scenario: commands to the simulator's control FIFO, a few seconds apart.
(
  step() { sleep "$1"; echo "run-demo scenario: $2" >&2; echo "$2" > "$WORK/sim.control"; }
  step 5 "thermo-north set 38.4"
  step 4 "thermo-north garbage 1"
  step 3 "thermo-south badsum 1"
  step 3 "air disconnect 3000"
  step 6 "thermo-north set 36.7"
) &
SCENARIO_PID=$!

echo "run-demo: configuration $WORK/gate.toml"
echo "run-demo: simulator commands: echo \"thermo-north set 38.6\" > $WORK/sim.control"
echo "run-demo: probe: $BIN/checkpointctl probe thermo-north --socket $WORK/control.sock"
echo "run-demo: checkpointd runs in the foreground; Ctrl-C stops it and the simulator."
"$BIN/checkpointd" --config "$WORK/gate.toml" --control-socket "$WORK/control.sock" || status=$?
exit "${status:-0}"
