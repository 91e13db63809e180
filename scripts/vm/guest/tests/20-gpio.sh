# Relay and indicator lines through libgpiod on a gpio-sim chip, observed from sysfs, with
# checkpointd under the package's unit. The lane's scanner is absent: the gate is opened by hand
# (`checkpointctl gate manual --open`), which pulses the relay and lights the green indicator.

PULSE_MS=500

# gpio_config RELAY_ACTIVE_LOW: the lane north-in on $GPIOSIM_CHIP: relay at offset 0 (pulse
# $PULSE_MS ms), green indicator at 1 (active-high), red indicator at 2 (active-low).
gpio_config() {
  { gate_config gm65 "$ABSENT_SCANNER"; cat <<TOML; } > /run/checkpoint-vm-gpio.toml
relay = { chip = "$GPIOSIM_CHIP", offset = 0, activeLow = $1, pulseMs = $PULSE_MS }
indicators = { green = { chip = "$GPIOSIM_CHIP", offset = 1 }, red = { chip = "$GPIOSIM_CHIP", offset = 2, activeLow = true }, showMs = 8000 }
TOML
  use_config /run/checkpoint-vm-gpio.toml
}

# relay_pulse_check ACTIVE INACTIVE: opens the gate by hand and checks the relay's pulse on sysfs:
# idle at INACTIVE, one pulse at ACTIVE, back at INACTIVE, lasting PULSE_MS ± 10 ms. Each edge is
# known to within the sampler's gap before it (edges.py); the pulse passes when some duration within
# those bounds is within 10 ms of PULSE_MS. Under emulation on a loaded host a vCPU can still be
# descheduled at an edge for longer than that: a pulse measured outside is measured again, up to
# three pulses, and the check fails when none is within 10 ms.
relay_pulse_check() {
  local active=$1 inactive=$2 out=/run/checkpoint-vm-edges.txt attempt
  for attempt in 1 2 3; do
    expect_eq "$(gpio_value 0)" "$inactive" "the relay line's level at rest"
    chrt -f 50 python3 /mnt/host/guest/tools/edges.py "$GPIOSIM_SYSFS/sim_gpio0/value" 2 15 > "$out" &
    local sampler=$!
    wait_until 10 "the sampler runs" grep -q initial "$out"
    checkpointctl gate manual --lane north-in --open --recorded-by vm-test
    wait "$sampler" || { cat "$out"; fail "the relay did not pulse"; }
    cat "$out"
    read -r t1 v1 g1 < <(sed -n 2p "$out")
    read -r t2 v2 g2 < <(sed -n 3p "$out")
    expect_eq "$v1" "$active" "the relay line's level during the pulse"
    expect_eq "$v2" "$inactive" "the relay line's level after the pulse"
    if python3 -c "
import sys
d, shortest, longest = $t2 - $t1, $t2 - $g2 - $t1, $t2 - ($t1 - $g1)
print(f'pulse {d:.2f} ms, between {shortest:.2f} and {longest:.2f} (configured $PULSE_MS)')
sys.exit(not (shortest <= $PULSE_MS + 10 and longest >= $PULSE_MS - 10))"; then
      return 0
    fi
    echo "measured outside 10 ms (attempt $attempt of 3)"
  done
  fail "no pulse of three measured within 10 ms of $PULSE_MS ms"
}

guest_test active_high_relay 180 "An active-high relay rests low, pulses high for pulseMs ± 10 ms on a manual open, and lights the green indicator"
active_high_relay() {
  gpiosim_chip 8
  expect_eq "$(stat -c '%G %a' /dev/"$GPIOSIM_CHIP")" "gpio 660" "the udev rule's group and mode of /dev/$GPIOSIM_CHIP"
  # The wiring: pulls to the inactive level, as on the gate's board.
  gpio_pull 0 pull-down; gpio_pull 1 pull-down; gpio_pull 2 pull-up
  gpio_config false
  start_checkpointd
  expect_eq "$(gpio_value 2)" 1 "the active-low red indicator at rest (driven inactive = high)"
  relay_pulse_check 1 0
  expect_eq "$(gpio_value 1)" 1 "the green indicator after an admission"
  wait_until 20 "the green indicator goes out after showMs (8 s)" bash -c "[ \$(cat $GPIOSIM_SYSFS/sim_gpio1/value) = 0 ]"
}

guest_test active_low_relay 180 "An active-low relay rests high and pulses low for pulseMs ± 10 ms"
active_low_relay() {
  gpiosim_chip 8
  gpio_pull 0 pull-up; gpio_pull 1 pull-down; gpio_pull 2 pull-up
  gpio_config true
  start_checkpointd
  relay_pulse_check 0 1
}

guest_test wrong_polarity_detected 180 "A relay configured active-high on a board wired active-low fails the pulse check (the check can fail)"
wrong_polarity_detected() {
  gpiosim_chip 8
  # The board pulls the relay high (its inactive level when active-low), the configuration says active-high.
  gpio_pull 0 pull-up; gpio_pull 1 pull-down; gpio_pull 2 pull-up
  gpio_config false
  start_checkpointd
  if (relay_pulse_check 0 1) > /run/checkpoint-vm-wrong.txt 2>&1; then
    cat /run/checkpoint-vm-wrong.txt; fail "the pulse check passed with the wrong polarity configured"
  fi
  cat /run/checkpoint-vm-wrong.txt
  echo "ok: the pulse check failed, as it must"
}

guest_test lines_inactive_after_stop_and_kill 180 "After systemctl stop and after SIGKILL of checkpointd every output line is inactive and ExecStopPost drove each one"
lines_inactive_after_stop_and_kill() {
  gpiosim_chip 8
  gpio_pull 0 pull-down; gpio_pull 1 pull-down; gpio_pull 2 pull-up
  PULSE_MS=20000   # a long pulse: the kill lands while the relay is active
  gpio_config false
  start_checkpointd
  checkpointctl gate manual --lane north-in --open --recorded-by vm-test
  wait_until 5 "the relay is active" bash -c "[ \$(cat $GPIOSIM_SYSFS/sim_gpio0/value) = 1 ]"
  since=$(date '+%Y-%m-%d %H:%M:%S')
  pid=$(unit_prop checkpointd.service MainPID)
  kill -KILL "$pid"
  wait_until 30 "ExecStopPost reported each line inactive after SIGKILL" \
    bash -c "[ \$(journalctl -u checkpointd.service --since '$since' --no-pager | grep -c ': inactive ') -ge 3 ]"
  journalctl -u checkpointd.service --since "$since" --no-pager | grep 'inactive ' || true
  expect_eq "$(gpio_value 0)$(gpio_value 1)$(gpio_value 2)" "001" "relay, green, red (active-low) after SIGKILL"
  # Restart=always brings the daemon back, holding every line inactive.
  wait_until 60 "checkpointd is back after SIGKILL" systemctl is-active -q checkpointd.service
  wait_until_gate_answers
  expect_eq "$(gpio_value 0)$(gpio_value 1)$(gpio_value 2)" "001" "relay, green, red after the restart"
  checkpointctl gate manual --lane north-in --open --recorded-by vm-test
  wait_until 5 "the relay is active again" bash -c "[ \$(cat $GPIOSIM_SYSFS/sim_gpio0/value) = 1 ]"
  since=$(date '+%Y-%m-%d %H:%M:%S')
  systemctl stop checkpointd.service
  expect_eq "$(gpio_value 0)$(gpio_value 1)$(gpio_value 2)" "001" "relay, green, red after systemctl stop"
  [ "$(journalctl -u checkpointd.service --since "$since" --no-pager | grep -c ': inactive ')" -ge 3 ] \
    || fail "ExecStopPost did not report every line inactive after systemctl stop"
  echo "ok: ExecStopPost reported every line after systemctl stop"
}

# journal_reasons N: the reasons and recordedBy of the journal's N newest records, one per line.
journal_reasons() {
  checkpointctl journal --json --last "$1" | python3 -c 'import json,sys; [print(r["reason"], r.get("recordedBy", "")) for r in json.load(sys.stdin)["latest"]]'
}

guest_test exit_button_and_door_contact 180 "A door pulled open through gpio-sim journals doorForced then doorHeldOpen; the exit button pulled pressed journals a manualOpen and pulses the relay"
exit_button_and_door_contact() {
  gpiosim_chip 8
  # Relay pulled to rest; the button (3) and the door contact (4) are active-low: pulled up = released / closed.
  gpio_pull 0 pull-down; gpio_pull 3 pull-up; gpio_pull 4 pull-up
  { gate_config gm65 "$ABSENT_SCANNER"; cat <<TOML; } > /run/checkpoint-vm-inputs.toml
relay = { chip = "$GPIOSIM_CHIP", offset = 0, pulseMs = 3000 }
exitButton = { chip = "$GPIOSIM_CHIP", offset = 3, activeLow = true, debounceMs = 20 }
doorContact = { chip = "$GPIOSIM_CHIP", offset = 4, activeLow = true, heldOpenSeconds = 2 }
TOML
  use_config /run/checkpoint-vm-inputs.toml
  start_checkpointd
  gpio_pull 4 pull-down
  wait_until 20 "doorForced and doorHeldOpen are journaled" bash -c \
    "checkpointctl journal --json --last 5 | python3 -c 'import json,sys; sys.exit(sum(r[\"reason\"].startswith(\"door\") for r in json.load(sys.stdin)[\"latest\"]) < 2)'" \
    || { journal_reasons 5; journalctl -u checkpointd.service --no-pager | tail -20; exit 1; }
  expect_eq "$(journal_reasons 2 | tr '\n' ';')" "doorForced doorContact:north-in;doorHeldOpen doorContact:north-in;" "the door's events"
  expect_eq "$(gpio_value 0)" 0 "the relay after door events (they drive no line)"
  gpio_pull 4 pull-up
  gpio_pull 3 pull-down
  wait_until 10 "the exit button's press pulses the relay" bash -c "[ \$(cat $GPIOSIM_SYSFS/sim_gpio0/value) = 1 ]"
  gpio_pull 3 pull-up
  expect_eq "$(journal_reasons 1)" "manualOpen exitButton:north-in" "the newest record after the press"
  echo "ok: door events and the exit button through libgpiod edge events"
}
