#!/usr/bin/env python3
"""Backlog drain: N journaled entries forwarded by checkpointd to checkpoint-central over loopback.

Builds a journal of N admitted entries (`checkpoint-sim backlog`), starts checkpoint-central (SQLite in a
fresh directory, or --db for PostgreSQL) and checkpointd (a device-less gate whose uplink points
at it), and measures the wall time from checkpointd's start until its journal records every entry
acknowledged, and the CPU seconds each process spent (utime + stime from /proc). Prints one JSON
object. The binaries are release builds: --bin is the folder that holds checkpointd,
checkpoint-central and checkpoint-sim.
"""
import argparse, json, os, secrets, shutil, signal, sqlite3, subprocess, sys, tempfile, time

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    sys.exit(f"drain: timed out waiting for {what}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--db", help="store URL (postgres://…); default SQLite in the work folder")
    ap.add_argument("--batch", type=int, help="[central] batchSize for the gate")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (logs, journal, store)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="checkpoint-drain-")
    central_bin = os.path.join(args.bin, "checkpoint-central")
    db = args.db or "sqlite:" + os.path.join(work, "central.sqlite")
    gate = "gate-drain"
    places = os.path.join(work, "places.json")
    with open(places, "w") as f:
        json.dump({"streets": [{"id": "s1", "name": "s", "communities": [{"id": "c1", "name": "c", "checkpoints": [
            {"id": "cp1", "name": "cp", "gates": [{"id": gate}]}]}]}]}, f)
    subprocess.run([central_bin, "places", "import", "--db", db, places], check=True, capture_output=True)
    reg = subprocess.run([central_bin, "gate", "register", "--db", db, "--id", gate, "--checkpoint", "cp1"],
                         check=True, capture_output=True, text=True).stdout
    secret_file = os.path.join(work, "gate.secret")
    with open(os.open(secret_file, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
        f.write(reg.splitlines()[0].split(":")[-1])
    journal = os.path.join(work, "journal.sqlite")
    subprocess.run([os.path.join(args.bin, "checkpoint-sim"), "backlog", "--journal", journal, "--gate", gate,
                    "--count", str(args.records)], check=True, capture_output=True)

    port = 20000 + secrets.randbelow(20000)
    serve_log = open(os.path.join(work, "serve.log"), "w+")
    central = subprocess.Popen([central_bin, "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                               stderr=serve_log, stdout=subprocess.DEVNULL,
                               env=dict(os.environ, CHECKPOINT_CENTRAL_ADMIN_TOKEN=secrets.token_hex(16)))
    def listening():
        serve_log.seek(0)
        return '"msg":"listening"' in serve_log.read()
    wait_for(listening, 30, "checkpoint-central to listen")
    config = os.path.join(work, "checkpoint.toml")
    with open(config, "w") as f:
        f.write(f'''gate = "{gate}"
[[device]]
id = "scan-1"
match = {{ usb = "ffff:fffe" }}
[[lane]]
id = "lane-1"
direction = "in"
scanner = "scan-1"
[central]
url = "http://127.0.0.1:{port}"
secretsFile = "{secret_file}"
{f"batchSize = {args.batch}" if args.batch else ""}
[journal]
path = "{journal}"
minimumFreeMB = 0
''')
    central_cpu0 = cpu_seconds(central.pid)
    started = time.monotonic()
    gate_proc = subprocess.Popen([os.path.join(args.bin, "checkpointd"), "--config", config,
                                  "--control-socket", os.path.join(work, "control.sock")],
                                 stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "gate.log"), "w"))
    ro = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
    def acked():
        try:
            return int(ro.execute("SELECT value FROM meta WHERE key = 'ackedThrough'").fetchone()[0])
        except sqlite3.Error:
            return 0
    wait_for(lambda: acked() >= args.records, 3600, "the backlog to drain")
    elapsed = time.monotonic() - started
    gate_cpu, central_cpu = cpu_seconds(gate_proc.pid), cpu_seconds(central.pid) - central_cpu0
    for p in (gate_proc, central):
        p.send_signal(signal.SIGTERM)
        p.wait(30)
    print(json.dumps({
        "records": args.records, "engine": "postgresql" if args.db else "sqlite", "seconds": round(elapsed, 3),
        "recordsPerSecond": round(args.records / elapsed),
        "gateCPUMicrosPerRecord": round(gate_cpu / args.records * 1e6, 1),
        "storeCPUMicrosPerRecord": round(central_cpu / args.records * 1e6, 1),
        "loadAverage1m": round(os.getloadavg()[0], 2),
        "ratios": {"recordsPerSecondVsGoal20000": round(args.records / elapsed / 20_000, 2)},
        **({"work": work} if args.keep else {}),
    }))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
