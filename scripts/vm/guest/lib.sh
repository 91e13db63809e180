# Helpers for the guest tests (sourced by run-one.sh). Every test configures the gate "vm-gate":
# the journal in /var/lib/checkpoint belongs to one gate, and checkpointd refuses it for another.
# A test file declares its tests with
#   guest_test FUNCTION LIMIT_SECONDS "the behaviour, as a sentence"
# and each FUNCTION sets up its own simulated hardware, registering the teardown with on_exit.
TEST_FUNCTIONS=(); TEST_LIMITS=(); TEST_NAMES=()
guest_test() { TEST_FUNCTIONS+=("$1"); TEST_LIMITS+=("$2"); TEST_NAMES+=("$3"); }

CLEANUPS=()
on_exit() { CLEANUPS+=("$*"); }
run_cleanups() {
  local i
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[$i]}" || true; done
  CLEANUPS=()
}
# A failing test shows the daemon's side before its teardown.
on_test_exit() {
  local rc=$?
  if ((rc != 0)); then
    echo "--- checkpointd.service, the last 40 journal lines:"
    journalctl -u checkpointd.service -n 40 --no-pager 2>&1 | cut -c1-400
  fi
  run_cleanups
}
trap on_test_exit EXIT
trap 'exit 143' TERM

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; echo "ok: $3 = '$1'"; }
# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s until it succeeds.
wait_until() {
  local limit=$1 what=$2; shift 2
  local end=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < end)) || { fail "$what: not within ${limit} s"; return 1; }
    sleep 0.1
  done
  echo "ok: $what"
}
unit_prop() { systemctl show -P "$2" "$1"; }

# gpiosim_chip LINES: a gpio-sim chip with LINES lines, removed when the test ends. Sets GPIOSIM_CHIP
# (gpiochipN) and GPIOSIM_SYSFS (the folder holding sim_gpioK/{value,pull}).
gpiosim_chip() {
  modprobe gpio-sim
  mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
  local d=/sys/kernel/config/gpio-sim/vm-$$-$RANDOM
  mkdir "$d" "$d/bank0"
  echo "$1" > "$d/bank0/num_lines"
  echo 1 > "$d/live"
  on_exit "echo 0 > $d/live; rmdir $d/bank0 $d"
  GPIOSIM_CHIP=$(cat "$d/bank0/chip_name")
  GPIOSIM_SYSFS=/sys/devices/platform/$(cat "$d/dev_name")/$GPIOSIM_CHIP
  [ -d "$GPIOSIM_SYSFS/sim_gpio0" ] || fail "gpio-sim made no $GPIOSIM_SYSFS/sim_gpio0"
  echo "gpio-sim: $GPIOSIM_CHIP at $GPIOSIM_SYSFS"
}
gpio_value() { cat "$GPIOSIM_SYSFS/sim_gpio$1/value"; }
gpio_pull() { echo "$2" > "$GPIOSIM_SYSFS/sim_gpio$1/pull"; }

# use_config FILE: installs FILE as /etc/checkpoint/checkpoint.toml with an empty journal; the
# package's example comes back when the test ends (the daemon stopped first).
use_config() {
  if [ ! -f /run/checkpoint-vm-example.toml ]; then cp /etc/checkpoint/checkpoint.toml /run/checkpoint-vm-example.toml; fi
  on_exit "systemctl stop checkpointd.service; cp /run/checkpoint-vm-example.toml /etc/checkpoint/checkpoint.toml"
  install -m 0644 "$1" /etc/checkpoint/checkpoint.toml
  # A fresh journal for each test: records of earlier tests are none of its business.
  systemctl stop checkpointd.service
  rm -f /var/lib/checkpoint/journal.sqlite /var/lib/checkpoint/journal.sqlite-wal /var/lib/checkpoint/journal.sqlite-shm
  checkpointd --config /etc/checkpoint/checkpoint.toml --check || fail "checkpointd --check refuses the test's configuration"
}

# start_checkpointd: (re)starts the unit and waits until the gate answers on the control socket
# (`checkpointctl journal` would also answer from the file without a daemon).
start_checkpointd() {
  systemctl restart checkpointd.service
  wait_until_gate_answers
}
wait_until_gate_answers() { wait_until 60 "checkpointd's gate answers on its control socket" checkpointctl gate status; }

# expect_record_payload TEXT: waits until the journal's newest record carries TEXT as its credential.
expect_record_payload() {
  wait_until 20 "a record with the payload '$1'" bash -c \
    "checkpointctl journal --json --last 1 | python3 -c 'import json,sys; r=json.load(sys.stdin)[\"latest\"]; sys.exit(not r or (r[-1].get(\"credential\") or {}).get(\"payload\") != sys.argv[1])' '$1'" \
    || { checkpointctl journal --json --last 3; journalctl -u checkpointd.service --no-pager | tail -20; exit 1; }
}

# gate_config SCANNER_MODEL SCANNER_PATH: prints the start of a test configuration — gate vm-gate,
# the scanner scan-1 (an empty path: found by its model's catalog [match]), and the lane north-in
# using it. Callers append more keys of the lane, then further tables.
gate_config() {
  printf 'gate = "vm-gate"\n\n[[device]]\nid = "scan-1"\nmodel = "%s"\n' "$1"
  [ -z "$2" ] || printf 'path = "%s"\n' "$2"
  printf '\n[[lane]]\nid = "north-in"\ndirection = "in"\nscanner = "scan-1"\n'
}
ABSENT_SCANNER=/dev/checkpoint/vm-absent-scanner

# stdin_peer TOOL OUT PATTERN: starts tools/TOOL with its stdin on fd 3 and its output in OUT, waits
# for the first line of OUT matching PATTERN (the device node it made) and sets PEER_NODE to it. The
# peer gets `quit` when the test ends.
stdin_peer() {
  local fifo=$2.in
  rm -f "$fifo"; mkfifo "$fifo"
  python3 "/mnt/host/guest/tools/$1" < "$fifo" > "$2" 2>&1 &
  local pid=$!
  exec 3> "$fifo"
  on_exit "echo quit >&3; exec 3>&-; wait $pid"
  wait_until 20 "$1 made its device node" grep -q "$3" "$2"
  PEER_NODE=$(grep -m1 "$3" "$2")
  echo "$1: $PEER_NODE ($(stat -c '%G %a' "$PEER_NODE"))"
}

# peer_say OUT WORD LINE: sends LINE to the stdin peer and waits until OUT has one more line
# starting with WORD (the peer's "done").
peer_say() {
  local before; before=$(grep -c "^$2" "$1" || true)
  echo "$3" >&3
  wait_until 30 "the peer did: $3" bash -c "[ \$(grep -c '^$2' '$1') -gt $before ]"
}

# wait_scanner_open: waits until checkpointd's log says it opened the scanner.
wait_scanner_open() {
  wait_until 20 "checkpointd opened the scanner" bash -c "journalctl -u checkpointd.service --no-pager | grep -q 'scanner open'"
}
