#!/usr/bin/env python3
"""Decision latency: from the last byte of a scan on the scanner's PTY to the entry committed and the relay asked.

The real `checkpointd` (release) runs one lane over the device peers of the daemon tests
(Tests/DaemonTests/Peers/gate_people.py, imported: its pseudo-terminal `Line` and its `LU90614`),
driven from this script's own loop so that the clock starts where the bytes are written: an LU90614
answering every measure request with 36.6 °C (the catalog's LU90614 polled every --poll-ms instead
of 1000 ms, so that each person's reading is fresh; its reply timeout stays the catalog's 300 ms)
and a serial QR scanner. For each of --people
people: once a reading has been answered after the previous decision and --settle-ms have passed
(the reading is in the gate), the scan `]Q1https://hc.example/p/N` CR is written in one write; the
clock stops when checkpointd's log line `lane north-in seq N: admit …` is read from its stderr
pipe. EntryPath writes that line right after the journal's commit returned and the lane's relay
was driven (docs/contracts.md §9), so the figure is an upper bound on "committed and relay asked"
(it includes formatting the line, the pipe and this script's wake-up). An entry that is not
admitted (no relay asked; e.g. `thermometerMissing` when a load spike delayed this script's
replies past the timeout) is counted by reason and not timed.

The reference, in the same run and on the same filesystem: after each person, one write of 64
bytes over the start of a file in the journal's directory (its size never changes) plus fsync(),
timed; and beside it one autocommitted
INSERT of a row into a raw SQLite file there with the journal's pragmas (WAL, synchronous=FULL),
timed — what a commit costs without the gate around it. Percentiles are exact (nearest
rank over all samples, sorted). Prints one JSON object with p50/p99/max of both, the ratio of the
latency's p99 to (fsync p99 + 1 ms) — the goal of issue #14 is ≤ 1 — and the 1-minute load average.
"""
import argparse, importlib.util, json, os, select, shutil, signal, sqlite3, subprocess, sys, tempfile, time

from one_lane import one_lane_config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
spec = importlib.util.spec_from_file_location("gate_people", os.path.join(ROOT, "Tests/DaemonTests/Peers/gate_people.py"))
gate_people = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate_people)


def percentile(sorted_values, p):
    """Nearest rank: the smallest value with at least p % of the samples at or below it."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def summary_ms(values_ns):
    s = sorted(values_ns)
    return {"p50": round(percentile(s, 50) / 1e6, 3), "p99": round(percentile(s, 99) / 1e6, 3),
            "max": round(s[-1] / 1e6, 3), "mean": round(sum(s) / len(s) / 1e6, 3), "samples": len(s)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="folder with the release checkpointd")
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--poll-ms", type=int, default=50, help="the LU90614's poll period in the benchmark's catalog copy (50 at least)")
    ap.add_argument("--settle-ms", type=float, default=20, help="wait after a reading is answered before the scan (below the poll period: the scan pairs with that reading)")
    ap.add_argument("--dir", help="folder for the journal and the fsync file (default: a new one in $TMPDIR)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (log, journal)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="checkpoint-latency-", dir=args.dir)
    catalog = os.path.join(work, "Devices")
    shutil.copytree(os.path.join(ROOT, "Devices"), catalog)
    lu = os.path.join(catalog, "thermometers/lu90614.toml")
    with open(lu) as f:
        text = f.read()
    text = text.replace("pollMs = 1000", f"pollMs = {args.poll_ms}")
    with open(lu, "w") as f:
        f.write(text)
    thermo = gate_people.Line(os.path.join(work, "thermo"))
    scanner = gate_people.Line(os.path.join(work, "scanner"))
    journal = os.path.join(work, "journal.sqlite")
    config = os.path.join(work, "checkpoint.toml")
    with open(config, "w") as f:
        f.write(one_lane_config("gate-latency", catalog, thermo.link, scanner.link, journal, policy='readingWithoutScan = "ignore"'))
    daemon = subprocess.Popen([os.path.join(args.bin, "checkpointd"), "--config", config,
                               "--control-socket", os.path.join(work, "control.sock")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = daemon.stderr.fileno()
    log = open(os.path.join(work, "gate.log"), "wb")
    sync_fd = os.open(os.path.join(work, "fsync.probe"), os.O_WRONLY | os.O_CREAT, 0o600)
    raw = sqlite3.connect(os.path.join(work, "raw.sqlite"), isolation_level=None)
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = FULL")
    raw.execute("CREATE TABLE entry (seq INTEGER PRIMARY KEY, payload TEXT NOT NULL, celsius REAL)")
    latencies, fsyncs, commits, not_admitted = [], [], [], {}
    buffered = b""
    module = gate_people.LU90614()
    person, waiting_decision, scan_at, t0 = 0, False, None, 0
    deadline = time.monotonic() + 120 + args.people  # a generous stop for a stuck run
    try:
        while person < args.people:
            if time.monotonic() > deadline or daemon.poll() is not None:
                sys.exit(f"latency: stopped after {person} people (daemon exit {daemon.returncode}; log in {work})")
            timeout = 1.0 if scan_at is None else max(0.0, scan_at - time.monotonic())
            readable, _, _ = select.select([thermo.master, scanner.master, err], [], [], timeout)
            now_ns = time.perf_counter_ns()
            if err in readable:
                chunk = os.read(err, 65536)
                log.write(chunk)
                buffered += chunk
                while b"\n" in buffered:
                    line, buffered = buffered.split(b"\n", 1)
                    if waiting_decision and b"lane north-in seq " in line:
                        if b": admit (" in line:
                            latencies.append(now_ns - t0)
                        else:  # no relay asked: counted by reason, not timed
                            reason = line.split(b"(", 1)[1].split(b")", 1)[0].decode(errors="replace") if b"(" in line else "?"
                            not_admitted[reason] = not_admitted.get(reason, 0) + 1
                        waiting_decision = False
                        person += 1
                        start = time.perf_counter_ns()
                        os.pwrite(sync_fd, os.urandom(64), 0)
                        os.fsync(sync_fd)
                        fsyncs.append(time.perf_counter_ns() - start)
                        start = time.perf_counter_ns()
                        raw.execute("INSERT INTO entry (payload, celsius) VALUES (?, 36.6)", ("https://hc.example/p/%06d" % person,))
                        commits.append(time.perf_counter_ns() - start)
            if thermo.master in readable:
                for reply in module.feed(os.read(thermo.master, 256), 36.6):
                    os.write(thermo.master, reply)
                    if not waiting_decision and scan_at is None:
                        scan_at = time.monotonic() + args.settle_ms / 1000
            if scanner.master in readable:
                os.read(scanner.master, 256)  # configuration commands: not answered
            if scan_at is not None and time.monotonic() >= scan_at and not waiting_decision:
                os.write(scanner.master, b"]Q1https://hc.example/p/%06d\r" % person)
                t0 = time.perf_counter_ns()
                waiting_decision, scan_at = True, None
        load = os.getloadavg()[0]
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            rest = daemon.communicate(timeout=30)[1]
            log.write(rest or b"")
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()
        os.close(sync_fd)
        raw.close()
        thermo.close()
        scanner.close()
    lat, ref, commit = summary_ms(latencies), summary_ms(fsyncs), summary_ms(commits)
    print(json.dumps({
        "people": args.people, "pollMs": args.poll_ms, "loadAverage1m": round(load, 2),
        "percentiles": "exact, nearest rank over all samples",
        "notAdmitted": not_admitted, "decisionLatencyMs": lat, "fsyncMs": ref, "rawSQLiteCommitMs": commit,
        "ratios": {
            "p99VsFsyncP99Plus1ms": round(lat["p99"] / (ref["p99"] + 1), 2),
            "p99VsFsyncP50Plus1ms": round(lat["p99"] / (ref["p50"] + 1), 2),
            "p50VsFsyncP50": round(lat["p50"] / ref["p50"], 2),
            "p50VsRawSQLiteCommitP50": round(lat["p50"] / commit["p50"], 2),
            "p99VsRawSQLiteCommitP99": round(lat["p99"] / commit["p99"], 2),
        },
        **({"work": work} if args.keep else {}),
    }))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
