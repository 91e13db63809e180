#!/usr/bin/env python3
"""Idle gate: checkpointd with a thermometer polled at 1 Hz and an idle scanner, beside gpsd and a floor.

Three processes run side by side for the same window (default 60 s, after a settling time), so they
share the machine's load:
- `checkpointd` (release) over the independent device peer of the daemon tests
  (Tests/DaemonTests/Peers/gate_people.py: an LU90614 answering each measure request like the module,
  and a serial QR scanner that sends nothing) on pseudo-terminals; the catalog's LU90614 is polled
  every 1000 ms; offline (no [central]), a simulated relay, the journal in the work folder;
  started with the default log level (info);
- the same again with `--log-level debug` (every reading logged), to price per-reading log lines;
- Debian's `gpsd` in the foreground (`-N -n`, no socket activation), reading a PTY that this script
  feeds one NMEA set (GGA, GSA, RMC) per second;
- the floor: `checkpointd-floor` (Benchmarks/Floor), a release binary linking every library
  checkpointd links, that starts what they start idle and sleeps.

For each: CPU seconds in the window (utime + stime, all threads, /proc/PID/stat; 10 ms ticks),
context switches per second (voluntary + nonvoluntary over /proc/PID/task/*/status, delta over the
window per thread; voluntary ones are the wakeups, nonvoluntary ones preemptions by the machine's
load), also per thread name, thread count, peak RSS (VmHWM), RSS at the end (anonymous and
file-backed, and per mapped file), and the log lines written in the window (checkpointd's stderr).
Prints one JSON object with the ratios against the goals of issue #14 (CPU ≤ 0.1 %, RSS ≤ 1.3× the
floor, wakeups ≤ 2× the devices' own: one reading a second) and the 1-minute load average.
--bin is the folder holding checkpointd and checkpointd-floor.
"""
import argparse, datetime, json, os, secrets, shutil, signal, subprocess, sys, tempfile, threading, time, tty

from one_lane import one_lane_config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def task_switches(pid):
    """{tid: (thread name, voluntary, nonvoluntary)} of the process's threads alive now."""
    tasks = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                name = f.read().strip()
            counts = {}
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        counts[line.split(":")[0]] = int(line.split()[1])
            tasks[task] = (name, counts["voluntary_ctxt_switches"], counts["nonvoluntary_ctxt_switches"])
        except (FileNotFoundError, KeyError):
            pass  # the thread ended meanwhile
    return tasks


def switch_rates(before, after, seconds):
    """Per thread name: (voluntary, nonvoluntary) switches per second over the window. A thread
    born in the window counts whole; one that ended in it is lost (idle processes keep theirs)."""
    rates = {}
    for tid, (name, voluntary, nonvoluntary) in after.items():
        _, v0, n0 = before.get(tid, (name, 0, 0))
        v, n = rates.get(name, (0, 0))
        rates[name] = (v + voluntary - v0, n + nonvoluntary - n0)
    return {name: (round(v / seconds, 2), round(n / seconds, 2)) for name, (v, n) in rates.items()}


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rss_by_file(pid):
    """Resident MB per mapped file (smaps; anonymous mappings under "[anon]"), the largest eight."""
    sizes, current = {}, None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if fields and not fields[0].endswith(":"):
                current = os.path.basename(fields[5]) if len(fields) > 5 else "[anon]"
            elif fields and fields[0] == "Rss:":
                sizes[current] = sizes.get(current, 0) + int(fields[1])
    top = sorted(sizes.items(), key=lambda kv: -kv[1])[:8]
    return {name: round(kb / 1024, 1) for name, kb in top}


def line_count(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


class Sample:
    """The counters of one process at the window's start; `end()` gives the window's figures."""

    def __init__(self, name, pid, log=None):
        self.name, self.pid, self.log = name, pid, log
        self.cpu0, self.switches0, self.t0 = cpu_seconds(pid), task_switches(pid), time.monotonic()
        self.lines0 = line_count(log) if log else None

    def end(self):
        seconds = time.monotonic() - self.t0
        cpu = cpu_seconds(self.pid) - self.cpu0
        per_thread = switch_rates(self.switches0, task_switches(self.pid), seconds)
        result = {
            "cpuSeconds": round(cpu, 3),
            "cpuPercent": round(cpu / seconds * 100, 4),
            "contextSwitchesPerSecond": round(sum(v + n for v, n in per_thread.values()), 2),
            "voluntarySwitchesPerSecond": round(sum(v for v, _ in per_thread.values()), 2),
            "threads": len(os.listdir(f"/proc/{self.pid}/task")),
            "switchesPerThreadName": {k: {"voluntary": v, "nonvoluntary": n} for k, (v, n) in per_thread.items()},
            "peakRSSMB": round(status_kb(self.pid, "VmHWM") / 1024, 1),
            "rssMB": round(status_kb(self.pid, "VmRSS") / 1024, 1),
            "rssAnonMB": round(status_kb(self.pid, "RssAnon") / 1024, 1),
            "rssFileMB": round(status_kb(self.pid, "RssFile") / 1024, 1),
            "rssByFileMB": rss_by_file(self.pid),
        }
        if self.log:
            result["logLinesPerMinute"] = round((line_count(self.log) - self.lines0) / seconds * 60, 1)
        return result


def nmea(body):
    checksum = 0
    for c in body.encode():
        checksum ^= c
    return f"${body}*{checksum:02X}\r\n"


def nmea_set(now):
    """One second of a stationary receiver's output: GGA, GSA, RMC for the UTC time `now`."""
    hms, dmy = now.strftime("%H%M%S.00"), now.strftime("%d%m%y")
    return "".join([
        nmea(f"GPGGA,{hms},4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),
        nmea("GPGSA,A,3,04,05,09,12,24,25,29,31,,,,,1.8,0.9,1.5"),
        nmea(f"GPRMC,{hms},A,4807.038,N,01131.000,E,000.0,000.0,{dmy},,,A"),
    ]).encode()


class NMEAFeed(threading.Thread):
    """Writes one NMEA set a second to a PTY's master and drains what gpsd writes back."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.stop = master, threading.Event()

    def run(self):
        next_at = time.monotonic()
        while not self.stop.is_set():
            os.write(self.master, nmea_set(datetime.datetime.now(datetime.timezone.utc)))
            next_at += 1
            while not self.stop.wait(max(0, min(0.2, next_at - time.monotonic()))) and time.monotonic() < next_at:
                try:
                    os.set_blocking(self.master, False)
                    os.read(self.master, 4096)
                except (BlockingIOError, OSError):
                    pass


def start_gate(args, work, name, catalog, level):
    """A peer and a checkpointd over it in work/name; returns (peer, daemon, stderr path)."""
    folder = os.path.join(work, name)
    os.makedirs(folder)
    peer = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/DaemonTests/Peers/gate_people.py"), folder],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ready = peer.stdout.readline().split()
    if not ready or ready[0] != "ready":
        sys.exit(f"idle: the device peer did not start ({ready})")
    threading.Thread(target=lambda: [None for _ in peer.stdout], daemon=True).start()  # drain "measured" events
    config = os.path.join(folder, "checkpoint.toml")
    with open(config, "w") as f:
        f.write(one_lane_config("gate-idle", catalog, ready[1], ready[2], os.path.join(folder, "journal.sqlite")))
    log = os.path.join(folder, "gate.log")
    daemon = subprocess.Popen([os.path.join(args.bin, "checkpointd"), "--config", config, "--log-level", level,
                               "--control-socket", os.path.join(folder, "control.sock")],
                              stdout=subprocess.DEVNULL, stderr=open(log, "w"))
    return peer, daemon, log


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="folder with the release checkpointd and checkpointd-floor")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--settle", type=float, default=10, help="seconds after the starts before the window opens")
    ap.add_argument("--gpsd", default="/usr/sbin/gpsd")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (logs, journals)")
    args = ap.parse_args()
    if not os.access(args.gpsd, os.X_OK):
        sys.exit(f"idle: no gpsd at {args.gpsd} (apt-get install gpsd; no service needs to run)")
    work = tempfile.mkdtemp(prefix="checkpoint-idle-")
    catalog = os.path.join(ROOT, "Devices")
    processes = []
    try:
        gate_peer, gate, gate_log = start_gate(args, work, "gate-info", catalog, "info")
        debug_peer, debug_gate, debug_log = start_gate(args, work, "gate-debug", catalog, "debug")
        processes += [gate, debug_gate, gate_peer, debug_peer]

        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        feed = NMEAFeed(master)
        feed.start()
        gpsd = subprocess.Popen([args.gpsd, "-N", "-n", "-S", str(20000 + secrets.randbelow(20000)),
                                 "-F", os.path.join(work, "gpsd.sock"), os.ttyname(slave)],
                                stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "gpsd.log"), "w"))
        processes.append(gpsd)
        floor = subprocess.Popen([os.path.join(args.bin, "checkpointd-floor"), "--journal", os.path.join(work, "floor.sqlite")],
                                 stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "floor.log"), "w"))
        processes.append(floor)

        time.sleep(args.settle)
        for p in processes:
            if p.poll() is not None:
                sys.exit(f"idle: {p.args[0]} exited with {p.returncode} (logs in {work})")
        samples = [Sample("checkpointd", gate.pid, gate_log), Sample("checkpointdDebugLog", debug_gate.pid, debug_log),
                   Sample("gpsd", gpsd.pid), Sample("floor", floor.pid)]
        time.sleep(args.seconds)
        results = {s.name: s.end() for s in samples}
        load = os.getloadavg()[0]
        feed.stop.set()
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
    gate_r, debug_r, gpsd_r, floor_r = (results[k] for k in ("checkpointd", "checkpointdDebugLog", "gpsd", "floor"))
    devices_own = 1.0  # one reading a second; the idle scanner sends nothing
    print(json.dumps({
        "seconds": args.seconds, "loadAverage1m": round(load, 2), **results,
        "ratios": {
            "cpuPercentVsGoal0.1": round(gate_r["cpuPercent"] / 0.1, 2),
            "peakRSSVsFloor": round(gate_r["peakRSSMB"] / floor_r["peakRSSMB"], 2),
            "peakRSSVsGpsd": round(gate_r["peakRSSMB"] / gpsd_r["peakRSSMB"], 2),
            "contextSwitchesVsDevicesOwn": round(gate_r["contextSwitchesPerSecond"] / devices_own, 2),
            "voluntarySwitchesVsDevicesOwn": round(gate_r["voluntarySwitchesPerSecond"] / devices_own, 2),
            "contextSwitchesVsGpsd": round(gate_r["contextSwitchesPerSecond"] / max(gpsd_r["contextSwitchesPerSecond"], 0.01), 2),
            "cpuVsGpsd": round(gate_r["cpuSeconds"] / max(gpsd_r["cpuSeconds"], 1 / TICKS), 2),
            "cpuDebugLogVsInfo": round(debug_r["cpuSeconds"] / max(gate_r["cpuSeconds"], 1 / TICKS), 2),
        },
        **({"work": work} if args.keep else {}),
    }))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
