# The package's units under systemd as PID 1, with the package's example configuration.

guest_test units_reach_active 120 "checkpointd.service and checkpoint-central.service reach active from the package with its example configuration"
units_reach_active() {
  on_exit systemctl stop checkpointd.service checkpoint-central.service
  systemctl start checkpoint-central.service || { systemctl status --no-pager checkpoint-central.service; fail "checkpoint-central.service did not start"; }
  expect_eq "$(unit_prop checkpoint-central.service ActiveState)" active "checkpoint-central.service"
  systemctl start checkpointd.service || { systemctl status --no-pager checkpointd.service; fail "checkpointd.service did not start"; }
  expect_eq "$(unit_prop checkpointd.service ActiveState)" active "checkpointd.service"
  # READY=1 came from checkpointd itself (Type=notify), with a STATUS line.
  status=$(unit_prop checkpointd.service StatusText)
  echo "STATUS: $status"
  [ -n "$status" ] || fail "checkpointd sent no STATUS="
  expect_eq "$(stat -c '%U %a' /run/checkpoint/control.sock)" "checkpoint 660" "the control socket's owner and mode"
}

guest_test hung_daemon_restarted 150 "A checkpointd that hangs (SIGSTOP) is restarted by the systemd watchdog"
hung_daemon_restarted() {
  # The shipped WatchdogSec=30s, shortened by a drop-in so the test takes seconds: the mechanism
  # (checkpointd pings only while it answers; Restart=always) is the one the package ships.
  mkdir -p /run/systemd/system/checkpointd.service.d
  printf '[Service]\nWatchdogSec=6s\n' > /run/systemd/system/checkpointd.service.d/vm-watchdog.conf
  on_exit 'rm -rf /run/systemd/system/checkpointd.service.d; systemctl daemon-reload; systemctl stop checkpointd.service'
  systemctl daemon-reload
  systemctl start checkpointd.service
  pid=$(unit_prop checkpointd.service MainPID)
  restarts=$(unit_prop checkpointd.service NRestarts)
  # Pings arrive while it runs: a few seconds past the watchdog limit it is still the same process.
  sleep 8
  expect_eq "$(unit_prop checkpointd.service MainPID)" "$pid" "the main PID while checkpointd answers"
  kill -STOP "$pid"
  echo "stopped $pid"
  wait_until 40 "a new checkpointd process is active" \
    bash -c "[ \"\$(systemctl show -P MainPID checkpointd.service)\" != $pid ] && [ \"\$(systemctl show -P MainPID checkpointd.service)\" != 0 ] && systemctl is-active -q checkpointd.service"
  expect_eq "$(unit_prop checkpointd.service NRestarts)" "$((restarts + 1))" "NRestarts"
  journalctl -u checkpointd.service --no-pager | grep -q 'Watchdog timeout' || fail "the journal shows no watchdog timeout"
  echo "ok: the journal shows systemd's watchdog timeout"
}

guest_test security_scores 120 "systemd-analyze security scores both installed units at most 1.5"
security_scores() {
  for unit in checkpointd.service checkpoint-central.service; do
    line=$(systemd-analyze security --no-pager "$unit" | grep 'Overall exposure level')
    echo "$line"
    score=$(echo "$line" | sed -E 's/.*: ([0-9.]+).*/\1/')
    awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }' || fail "$unit scores $score"
  done
}

guest_test reload_applies_or_refuses 120 "systemctl reload checkpointd applies a good file in the same process and fails on a bad one, which leaves the daemon running"
reload_applies_or_refuses() {
  local config=/run/checkpoint-vm-reload.toml
  { gate_config gm65 "$ABSENT_SCANNER"; printf '\n[policy]\nfeverThresholdCelsius = 37.3\n'; } > "$config"
  use_config "$config"
  start_checkpointd
  pid=$(unit_prop checkpointd.service MainPID)
  sed -i 's/^feverThresholdCelsius = .*/feverThresholdCelsius = 38.0/' /etc/checkpoint/checkpoint.toml
  systemctl reload checkpointd.service || fail "systemctl reload refused a good file"
  expect_eq "$(unit_prop checkpointd.service MainPID)" "$pid" "the main PID after a reload"
  journalctl -u checkpointd.service --no-pager | grep -q 'configuration reloaded' || fail "the journal shows no reload"
  echo "ok: reloaded in place"
  sed -i 's/^feverThresholdCelsius = .*/feverThresholdCelsius = "warm"/' /etc/checkpoint/checkpoint.toml
  if systemctl reload checkpointd.service; then fail "systemctl reload accepted a file with an error"; fi
  echo "ok: systemctl reload fails on a bad file"
  expect_eq "$(unit_prop checkpointd.service ActiveState)" active "checkpointd.service after a refused reload"
  expect_eq "$(unit_prop checkpointd.service MainPID)" "$pid" "the main PID after a refused reload"
  journalctl -u checkpointd.service --no-pager | grep -q 'reload refused.*feverThresholdCelsius' || fail "the journal shows no refusal naming the key"
  echo "ok: the refusal names the key"
}
