#!/bin/bash
# One boot of the QEMU tier's power-cut cycles (scripts/vm-test.sh starts the boots and kills QEMU).
# Boot k checks what cut k-1 left behind — the journal file intact, seq gap-free from 1, every entry
# the host saw acknowledged or saw pulse the relay in boot k-1 journaled — then starts checkpointd,
# whose uplink goes to the central store on the host (10.0.2.2 over QEMU's user network), and opens
# the gate by hand in a loop, reporting each acknowledged seq and each relay pulse on the serial
# console, until QEMU is killed. The last boot (k = cuts + 1) only checks, waits until the uplink
# has delivered everything, and writes the journal's last seq for the host's exactly-once check.
set -uo pipefail
. /mnt/host/guest/lib.sh
trap - EXIT
H=/mnt/host
R=$H/results
k=$(cat $H/cycle); cuts=$(cat $H/cuts)
console() { echo "CHECKPOINT-VM $*" > /dev/ttyS0; }
record() { printf '%s\t%s\t%s\t%s\t%s\n' power-cut "$1" "$2" 0 "logs/power-cut.$k.log" >> "$R/cases.tsv"; }
exec > "$R/logs/power-cut.$k.log" 2>&1
echo "power-cut boot $k of $((cuts + 1))"

iface=$(ls /sys/class/net | grep -v '^lo$' | head -1)
ip link set "$iface" up && ip addr add 10.0.2.15/24 dev "$iface" && ip route add default via 10.0.2.2 || console "FAILED network"

gpiosim_chip 8
gpio_pull 0 pull-down
install -m 0600 -o checkpoint -g checkpoint $H/central.secret /etc/checkpoint/central.secret
{ gate_config gm65 "$ABSENT_SCANNER" | sed "s/^gate = .*/gate = \"$(cat $H/gate-id)\"/"; cat <<TOML; } > /etc/checkpoint/checkpoint.toml
relay = { chip = "$GPIOSIM_CHIP", offset = 0, pulseMs = 100 }

[central]
url = "http://10.0.2.2:$(cat $H/central-port)"
secretsFile = "/etc/checkpoint/central.secret"
heartbeatSeconds = 1
backoffInitialMs = 100
backoffMaxMs = 1000
TOML

# The first boot starts a fresh journal (the guest tests before it journaled under other gate ids).
((k == 1)) && rm -f /var/lib/checkpoint/journal.sqlite /var/lib/checkpoint/journal.sqlite-wal /var/lib/checkpoint/journal.sqlite-shm

if ((k > 1)); then
  # What the host saw in boot k-1 (extracted from its console log).
  observed=$H/observed-$((k - 1)).txt
  if checkpointctl journal --check > /run/check.txt 2>&1; then
    record "after cut $((k - 1)): the journal file passes its integrity check" pass
  else
    cat /run/check.txt; record "after cut $((k - 1)): the journal file passes its integrity check" fail
  fi
  checkpointctl journal --json --last 1000000 > /run/journal.json
  if python3 - "$observed" "cut-$((k - 1))" /run/journal.json <<'PY'
import json, sys
observed, tag, path = sys.argv[1], sys.argv[2], sys.argv[3]
records = json.load(open(path))["latest"]
seqs = sorted(r["seq"] for r in records)
acked = [int(l.split()[1]) for l in open(observed) if l.startswith("ACK ")]
pulses = sum(1 for l in open(observed) if l.startswith("PULSE"))
mine = [r for r in records if (r.get("recordedBy") or "").endswith(f"({tag})")]   # "root (cut-1)"
print(f"journal: {len(seqs)} records, seq {seqs[:1]}..{seqs[-1:]}; boot {tag}: {len(acked)} acknowledged, {pulses} relay pulses seen, {len(mine)} journaled")
problems = []
if seqs != list(range(1, len(seqs) + 1)):
    problems.append("seq is not gap-free from 1")
missing = sorted(set(acked) - set(seqs))
if missing:
    problems.append(f"acknowledged but not journaled: {missing}")
if pulses > len(mine):
    problems.append(f"{pulses} relay pulses seen but only {len(mine)} entries journaled")
if not acked:
    problems.append("the host saw no acknowledged entry before the cut (the stream did not run)")
print("\n".join(problems) or "ok")
sys.exit(1 if problems else 0)
PY
  then record "after cut $((k - 1)): seq is gap-free and every entry acknowledged or pulsed before the cut is journaled" pass
  else record "after cut $((k - 1)): seq is gap-free and every entry acknowledged or pulsed before the cut is journaled" fail
  fi
fi

systemctl start checkpointd.service
wait_until_gate_answers || console "FAILED start"

if ((k <= cuts)); then
  # The relay, watched from the same boot: each rising edge goes to the console at once.
  python3 - "$GPIOSIM_SYSFS/sim_gpio0/value" <<'PY' &
import sys, time
f = open(sys.argv[1], "rb", buffering=0)
tty = open("/dev/ttyS0", "w")
last = b"0"
while True:
    f.seek(0)
    v = f.read().strip()
    if v != last and v == b"1":
        tty.write("CHECKPOINT-VM PULSE\n"); tty.flush()
    last = v
    time.sleep(0.005)
PY
  # The stream: manual opens over the control socket on one connection (no process start per
  # entry), each acknowledged seq to the console as soon as the reply is read.
  python3 - "cut-$k" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect("/run/checkpoint/control.sock")
replies = s.makefile("rb")
tty = open("/dev/ttyS0", "w")
request = json.dumps({"command": "gate.manual", "arguments": {"lane": "north-in", "recordedBy": sys.argv[1], "decision": "admit", "open": "true"}}) + "\n"
first = True
while True:
    s.sendall(request.encode())
    reply = json.loads(replies.readline())
    if not reply.get("ok") or "json" not in reply:
        print(reply, flush=True)
        continue
    seq = json.loads(reply["json"])["seq"]
    tty.write(f"CHECKPOINT-VM ACK {seq}\n"); tty.flush()
    if first:
        tty.write("CHECKPOINT-VM STREAM\n"); tty.flush()
        first = False
PY
fi

# The last boot: everything reaches the store; the host compares it with this.
if wait_until 120 "the uplink's backlog is 0" bash -c "checkpointctl uplink | grep -q '^backlog   0 '"; then
  record "after $cuts power cuts the uplink delivers the whole journal" pass
else
  checkpointctl uplink; record "after $cuts power cuts the uplink delivers the whole journal" fail
fi
checkpointctl journal --json --last 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"]["lastSeq"])' > "$R/power-cut-last-seq"
echo done > "$R/power-cut-done"
sync
