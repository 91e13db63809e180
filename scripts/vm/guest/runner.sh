#!/bin/bash
# The guest side of the QEMU tier, started by checkpoint-vm-tests.service once the guest is up:
# installs the package from the host's share, runs every guest test (each in its own process with
# its own time limit), writes results/cases.tsv and one log per test, then results/rc. The unit
# powers the guest off when this script ends.
G=/mnt/host/guest
R=/mnt/host/results
mkdir -p "$R/logs"
exec > >(tee -a "$R/runner.log") 2>&1
only=$(cat /mnt/host/only 2>/dev/null || true)
systemctl is-system-running --wait >/dev/null 2>&1 || true
echo "runner: the guest is up ($(cut -d' ' -f1 /proc/uptime) s since boot); systemd: $(systemctl is-system-running)"
if [ "$(cat /mnt/host/mode 2>/dev/null)" = power-cut ]; then exec bash /mnt/host/guest/powercut.sh; fi

failed=0
# record SUITE NAME STATUS SECONDS LOG
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >> "$R/cases.tsv"; [ "$3" = pass ] || failed=$((failed + 1)); }

# ms since the epoch → seconds with three decimals
elapsed() { local ms=$(($(date +%s%3N) - $1)); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }

# The package first, whatever --only says: every test needs it.
t0=$(date +%s%3N)
if dpkg -i /mnt/host/checkpoint.deb > "$R/logs/package.install.log" 2>&1; then status=pass; else status=fail; fi
record package "dpkg -i installs the checkpoint package under systemd" "$status" "$(elapsed "$t0")" logs/package.install.log

for file in "$G"/tests/*.sh; do
  suite=$(basename "$file" .sh); suite=${suite#[0-9][0-9]-}
  while IFS=$'\t' read -r fn limit name; do
    [ -n "$fn" ] || continue
    if [ -n "$only" ] && [[ "$suite $fn" != *"$only"* ]]; then continue; fi
    log="logs/$suite.$fn.log"
    t0=$(date +%s%3N)
    echo "runner: $suite: $name"
    rc=0
    timeout -k 5 "$limit" bash "$G/run-one.sh" "$file" "$fn" > "$R/$log" 2>&1 || rc=$?
    if ((rc == 0)); then status=pass; else status=fail; echo "runner: FAILED (exit status $rc)"; fi
    ((rc != 124)) || echo "FAIL: the test's limit of $limit s ran out" >> "$R/$log"
    record "$suite" "$name" "$status" "$(elapsed "$t0")" "$log"
  done < <(bash "$G/run-one.sh" "$file" --list)
done
journalctl -b --no-pager > "$R/journal.txt" 2>&1 || true
echo "runner: done, $failed failed"
echo "$failed" > "$R/rc"
sync
