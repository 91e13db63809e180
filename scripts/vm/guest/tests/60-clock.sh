# clockSynced on the records of checkpointd under the package's unit (ProtectClock=yes: the kernel
# query is refused inside the unit, systemd-timesyncd's flag file decides). The test does what
# systemd-timesyncd does when it gains or loses synchronisation: the kernel's NTP status
# (adjtimex) and the flag file /run/systemd/timesync/synchronized, together.

FLAG=/run/systemd/timesync/synchronized

# record_clock: opens the gate by hand and prints the new record's clockSynced.
record_clock() {
  checkpointctl gate manual --lane north-in --open --recorded-by vm-clock > /dev/null
  checkpointctl journal --json --last 1 | python3 -c 'import json,sys; r=json.load(sys.stdin)["latest"][-1]; print(str(r["clockSynced"]).lower())'
}

guest_test clock_synced_truthful 180 "Records say clockSynced false while the clock is not synchronised and true while it is, under the shipped unit"
clock_synced_truthful() {
  on_exit "python3 /mnt/host/guest/tools/kernel_clock.py unsynced; rm -f $FLAG"
  python3 /mnt/host/guest/tools/kernel_clock.py unsynced
  rm -f "$FLAG"
  gate_config gm65 "$ABSENT_SCANNER" > /run/checkpoint-vm-clock.toml
  use_config /run/checkpoint-vm-clock.toml
  start_checkpointd
  expect_eq "$(record_clock)" false "clockSynced while not synchronised"
  checkpointctl clock && fail "checkpointctl clock says synchronised" || echo "ok: checkpointctl clock says not synchronised"
  python3 /mnt/host/guest/tools/kernel_clock.py synced
  mkdir -p "$(dirname "$FLAG")"; touch "$FLAG"
  checkpointctl clock || fail "checkpointctl clock (as root: the kernel's answer) says not synchronised"
  expect_eq "$(record_clock)" true "clockSynced while synchronised"
  python3 /mnt/host/guest/tools/kernel_clock.py unsynced
  rm -f "$FLAG"
  expect_eq "$(record_clock)" false "clockSynced after synchronisation was lost"
}
