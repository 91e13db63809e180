#!/usr/bin/env python3
"""Many gates: 2,000 simulated gates against one checkpoint-central on PostgreSQL.

One release `checkpoint-central serve` on a throwaway PostgreSQL server (initdb in a temp dir,
private port, like scripts/test.sh; or --db). The store gets the places of the store-scale benchmark
(10 street offices, 40 communities, 130 checkpoints, gates g0000… spread evenly; `places import`)
and every simulated gate is registered through `POST /v1/gates` with an admin token.

A load generator (asyncio, one Python process, raw HTTP/1.1 keep-alive connections, one per gate
as each gate's uplink keeps its own) then plays every gate as its uplink talks to the store:

  records    each gate journals entries as a Poisson process (default 0.3 records/s, so gates
             are never in step); whenever the gate is idle and has unsent records it sends them all
             as one `POST /v1/ingest` batch (at most 500), one request in flight per gate, in seq
             order: gap-free seq from 1 in one journal epoch (a UUID per gate), UUIDv7 ids, the
             record fields a gate journals (97 % admitted, 2 % code denied, 1 % fever, as the store
             scale's fill);
  heartbeat  `POST /v1/heartbeat` (the body of `CheckpointCore.Heartbeat`: clock, boot, epoch,
             lastSeq, backlog, four devices) every --heartbeat-seconds (30), each gate at its own
             random phase. With --uplink-cycle the gate behaves as `Uplink.cycle` does: a heartbeat
             also after every ingest cycle when the last one is 1 s old or more, and
             `GET /v1/watchlist?since=` every 60 s; and as its `CommandPoller` does: a long-poll
             `GET /v1/commands?wait=25` always open on a second connection (counted, its
             latency is the wait).

After --warmup seconds (connections made, caches warm) the window of --seconds (600) is measured:
every request's latency, client side, from the first byte written to the last byte of the answer
read (exact percentiles over all samples, nearest rank); errors (an answer other than 2xx, a
timeout after --timeout seconds, a broken connection); records offered (journaled in the window)
and stored (the answers' `stored`); CPU seconds (utime + stime, /proc) of checkpoint-central, of
the PostgreSQL server (the postmaster's own and its reaped children's, plus every live backend's)
and of this generator. Then the gates stop journaling, every unsent record is delivered, and the
database is asked whether every gate's epoch is contiguous through its last seq.

Prints one JSON object with its ratios (errors, stored ÷ offered, p99 ingest ÷ a goal of 100 ms)
and the 1-minute load average. --bin is the folder holding a release `checkpoint-central`.
"""
import argparse, asyncio, json, os, random, secrets, shutil, signal, subprocess, sys, tempfile, time
import uuid as uuidlib

from drain import cpu_seconds, wait_for
from store_scale import Postgres, places_document, psql, BENCH_GATE, CHECKPOINTS

TICKS = os.sysconf("SC_CLK_TCK")
P99_GOAL_MS = 100


def uuid7():
    """A UUIDv7 (RFC 9562): 48 bits of Unix ms, version 7, 74 random bits, variant 10."""
    ms = time.time_ns() // 1_000_000
    r = int.from_bytes(os.urandom(10), "big")
    value = (ms << 80) | (0x7 << 76) | (((r >> 62) & 0xFFF) << 64) | (0b10 << 62) | (r & ((1 << 62) - 1))
    return str(uuidlib.UUID(int=value))


def timestamp(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


def percentile(sorted_values, p):
    """Nearest rank."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def postgres_cpu(data_dir):
    """CPU seconds of a PostgreSQL server: the postmaster's own and its reaped children's, plus every
    live child's (backends, checkpointer, WAL writer, autovacuum…)."""
    with open(os.path.join(data_dir, "postmaster.pid")) as f:
        master = int(f.readline())
    with open(f"/proc/{master}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


class HTTPError(Exception):
    pass


class Connection:
    """One HTTP/1.1 keep-alive connection; one request at a time."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method, path, auth, body=None):
        if self.writer is None or self.reader.at_eof():
            await self.close()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAuthorization: Bearer {auth}\r\n"
                + (f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n" if body is not None else "")
                + "\r\n").encode()
        self.writer.write(head + (body or b""))
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                data += chunk[:-2]
        else:
            data = await self.reader.readexactly(length or 0)
        if close:
            await self.close()
        return status, data

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


class Stats:
    """The samples and counters of the measured window."""

    def __init__(self):
        self.window = (float("inf"), float("inf"))
        self.latency = {"ingest": [], "heartbeat": [], "watchlist": [], "commands": []}
        self.errors = {}
        self.offered = self.stored = self.duplicates = self.quarantined = 0
        self.batch_sizes = []

    def measuring(self, t):
        return self.window[0] <= t < self.window[1]

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1


class Gate:
    """One simulated gate: its journal (seq, epoch, unsent records) and its uplink's schedule."""

    DEVICES = [{"id": "thermo-1", "role": "thermometer", "status": "ok", "model": "LU90614"},
               {"id": "scan-1", "role": "scanner", "status": "ok", "model": "generic-serial-qr"},
               {"id": "relay-1", "role": "relay", "status": "ok"},
               {"id": "horn-1", "role": "horn", "status": "ok"}]

    def __init__(self, gate_id, credential, args, port, stats, rng):
        self.id, self.auth, self.args, self.stats, self.rng = gate_id, credential, args, stats, rng
        self.conn = Connection(port)
        self.failures, self.busy = 0, False
        self.epoch = str(uuidlib.uuid4())
        self.boot = str(uuidlib.uuid4())
        self.boot_ns = time.monotonic_ns()
        self.seq = 0          # last journaled
        self.acked = 0        # the store's contiguousThrough
        self.unsent = []
        self.journaling = True

    def journal(self, now):
        self.seq += 1
        roll = self.rng.random()
        if roll < 0.97:
            decision, reason, celsius = "admit", "admitted", round(36.0 + self.rng.random(), 1)
        elif roll < 0.99:
            decision, reason, celsius = "refuse", "codeDenied", round(36.0 + self.rng.random(), 1)
        else:
            decision, reason, celsius = "refer", "fever", 38.6
        self.unsent.append({
            "id": uuid7(), "gate": self.id, "journalEpoch": self.epoch, "seq": self.seq,
            "occurredAt": timestamp(now), "clockSynced": True, "bootID": self.boot,
            "monotonicNanos": time.monotonic_ns() - self.boot_ns, "lane": "lane-1",
            "direction": "in" if self.seq % 2 else "out",
            "credential": {"kind": "code", "payload": f"RES-{self.rng.randrange(100_000):08d}", "symbology": "qr"},
            "temperature": {"celsius": celsius, "kind": "body", "raw": round(celsius - 3.0, 1), "device": "thermo-1"},
            "decision": decision, "reason": reason, "policyVersion": "v1"})
        if self.stats.measuring(time.monotonic()):
            self.stats.offered += 1

    async def timed(self, kind, method, path, body=None):
        """One request; its latency and errors count when it started in the window. Returns the body or None."""
        started = time.monotonic()
        try:
            status, data = await asyncio.wait_for(self.conn.request(method, path, self.auth, body), self.args.timeout)
        except asyncio.TimeoutError:
            await self.conn.close()
            if self.stats.measuring(started):
                self.stats.error(f"{kind}: timeout")
            return None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as e:
            await self.conn.close()
            if self.stats.measuring(started):
                self.stats.error(f"{kind}: {type(e).__name__}")
            return None
        elapsed = (time.monotonic() - started) * 1000
        if self.stats.measuring(started):
            if 200 <= status < 300:
                self.stats.latency[kind].append(elapsed)
            else:
                self.stats.error(f"{kind}: HTTP {status}")
        self.busy = status == 503 and b'"busy"' in data
        if not 200 <= status < 300:
            if not self.busy:
                print(f"many_gates: {self.id} {method} {path}: {status} {data[:200]!r}", file=sys.stderr)
            return None
        return data

    async def back_off(self):
        """The uplink's wait after a failure: `Backoff` (0.5 s doubling to 60 s, equal jitter), and
        at least 5-10 s after a 503 busy (its busyRetry)."""
        self.failures += 1
        d = min(self.args.backoff * 2 ** (self.failures - 1), 60.0)
        wait = d / 2 + self.rng.uniform(0, d / 2)
        if self.busy:
            wait = max(wait, self.rng.uniform(5.0, 10.0))
        await asyncio.sleep(wait)

    async def ingest(self):
        batch = self.unsent[:500]
        started = time.monotonic()
        # As the uplink sends them: compact, keys sorted (the journal's canonical bytes).
        body = json.dumps({"gate": self.id, "records": batch}, sort_keys=True, separators=(",", ":")).encode()
        data = await self.timed("ingest", "POST", "/v1/ingest", body)
        if data is None:
            await self.back_off()  # the records stay unsent
            return False
        self.failures = 0
        reply = json.loads(data)
        del self.unsent[:len(batch)]
        for ack in reply["acknowledged"]:
            if ack["journalEpoch"] == self.epoch:
                self.acked = ack["contiguousThrough"]
        if self.stats.measuring(started):
            self.stats.stored += len(reply["stored"])
            self.stats.duplicates += len(reply["duplicates"])
            self.stats.quarantined += len(reply["quarantined"])
            self.stats.batch_sizes.append(len(batch))
        return True

    async def heartbeat(self):
        now = time.time()
        body = {"gate": self.id, "sentAt": timestamp(now), "clockSynced": True, "bootID": self.boot,
                "monotonicNanos": time.monotonic_ns() - self.boot_ns, "journalEpoch": self.epoch,
                "lastSeq": self.seq, "backlog": self.seq - self.acked, "softwareVersion": "0.1.0",
                "devices": self.DEVICES}
        return await self.timed("heartbeat", "POST", "/v1/heartbeat", json.dumps(body).encode()) is not None

    async def poll_commands(self, stop):
        """The command poller's long-poll, on its own connection, until `stop` is set."""
        poller = Gate.__new__(Gate)
        poller.__dict__.update(self.__dict__)
        poller.conn = Connection(self.conn.port)
        poller.args = argparse.Namespace(**{**vars(self.args), "timeout": 30})
        await asyncio.sleep(self.rng.uniform(0, 25))
        while not stop.is_set():
            if await poller.timed("commands", "GET", "/v1/commands?wait=25") is None:
                await asyncio.sleep(self.args.backoff)
        await poller.conn.close()

    async def run(self, stop):
        """The uplink's loop until `stop` is set and nothing is left unsent."""
        if self.args.uplink_cycle:
            poller = asyncio.create_task(self.poll_commands(stop))
        loop_start = time.monotonic()
        next_record = loop_start + self.rng.expovariate(self.args.rate)
        next_heartbeat = loop_start + self.rng.uniform(0, self.args.heartbeat_seconds)
        next_watchlist = loop_start + self.rng.uniform(0, 60)
        last_heartbeat = None
        while True:
            now = time.monotonic()
            if stop.is_set():
                self.journaling = False
            while self.journaling and next_record <= now:
                self.journal(time.time())
                next_record += self.rng.expovariate(self.args.rate)
            if not self.journaling and not self.unsent:
                if self.args.uplink_cycle:
                    await poller
                return
            if self.unsent:
                if not await self.ingest():
                    continue
                if self.args.uplink_cycle and (last_heartbeat is None or time.monotonic() - last_heartbeat >= 1):
                    await self.heartbeat()
                    last_heartbeat = time.monotonic()
                    next_heartbeat = last_heartbeat + self.args.heartbeat_seconds
                continue
            if now >= next_heartbeat:
                await self.heartbeat()
                last_heartbeat = time.monotonic()
                next_heartbeat = last_heartbeat + self.args.heartbeat_seconds
                continue
            if self.args.uplink_cycle and now >= next_watchlist:
                await self.timed("watchlist", "GET", "/v1/watchlist?since=0")
                next_watchlist = time.monotonic() + 60
                continue
            wake = min(next_record, next_heartbeat, next_watchlist if self.args.uplink_cycle else float("inf"))
            try:
                await asyncio.wait_for(stop.wait(), max(0.0, wake - time.monotonic()))
            except asyncio.TimeoutError:
                pass


async def register(port, token, gate_ids):
    """Registers every gate through `POST /v1/gates` (16 at a time); returns {gate: credential}."""
    credentials, queue = {}, list(gate_ids)

    async def worker():
        conn = Connection(port)
        while queue:
            gate = queue.pop()
            body = json.dumps({"id": gate, "checkpoint": f"cp{int(gate[1:]) % CHECKPOINTS:03d}"}).encode()
            status, data = await conn.request("POST", "/v1/gates", token, body)
            if status != 201:
                sys.exit(f"many_gates: registering {gate} answered {status}: {data[:300]!r}")
            credentials[gate] = json.loads(data)["credential"]
        await conn.close()
    await asyncio.gather(*(worker() for _ in range(16)))
    return credentials


async def simulate(args, port, token, central_pid, pg_data):
    gate_ids = [f"g{g:04d}" for g in range(args.gates)]
    started = time.monotonic()
    credentials = await register(port, token, gate_ids)
    registration_seconds = time.monotonic() - started
    stats = Stats()
    rng = random.Random(args.seed)
    gates = [Gate(g, credentials[g], args, port, stats, random.Random(rng.random())) for g in gate_ids]
    stop = asyncio.Event()
    tasks = [asyncio.create_task(g.run(stop)) for g in gates]
    await asyncio.sleep(args.warmup)
    window_start = time.monotonic()
    stats.window = (window_start, window_start + args.seconds)
    cpu0 = (cpu_seconds(central_pid), postgres_cpu(pg_data) if pg_data else None, sum(os.times()[:2]), os.getloadavg()[0])
    await asyncio.sleep(args.seconds)
    cpu1 = (cpu_seconds(central_pid), postgres_cpu(pg_data) if pg_data else None, sum(os.times()[:2]), os.getloadavg()[0])
    window = time.monotonic() - window_start
    stop.set()
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), 120)
    except asyncio.TimeoutError:
        stats.error("drain at the end: timeout")
    for g in gates:
        await g.conn.close()
    return gates, stats, window, cpu0, cpu1, registration_seconds


def summary(samples):
    s = sorted(samples)
    return {"count": len(s), "p50Ms": round(percentile(s, 50), 2) if s else None,
            "p99Ms": round(percentile(s, 99), 2) if s else None, "maxMs": round(s[-1], 2) if s else None}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="folder holding a release checkpoint-central")
    ap.add_argument("--db", help="a PostgreSQL server URL (postgres://…/db); default a throwaway server "
                                 "(whose CPU is measured; with --db it is not)")
    ap.add_argument("--gates", type=int, default=2000)
    ap.add_argument("--rate", type=float, default=0.3, help="records per second per gate (Poisson)")
    ap.add_argument("--heartbeat-seconds", type=float, default=30)
    ap.add_argument("--uplink-cycle", action="store_true",
                    help="also a heartbeat after every ingest cycle (≥ 1 s apart) and a watch-list fetch every 60 s, as "
                         "Uplink.cycle, and the command long-poll always open, as CommandPoller")
    ap.add_argument("--seconds", type=float, default=600, help="the measured window")
    ap.add_argument("--warmup", type=float, default=30, help="seconds of load before the window")
    ap.add_argument("--timeout", type=float, default=10, help="a request's timeout (the uplink's requestTimeoutSeconds)")
    ap.add_argument("--backoff", type=float, default=0.5, help="seconds of the uplink's first backoff after a failed ingest (doubling to 60 s, equal jitter; 5-10 s after 503 busy)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--keep", action="store_true", help="keep the work folder (server log, PostgreSQL data)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="checkpoint-many-gates-")
    os.chmod(work, 0o755)
    pg = None if args.db else Postgres(work)
    central_bin = os.path.join(args.bin, "checkpoint-central")
    server = None
    try:
        base = args.db or pg.url
        name = f"many_gates_{secrets.token_hex(3)}"
        psql(base, f"CREATE DATABASE {name}")
        db = base.rsplit("/", 1)[0] + "/" + name
        document = places_document()
        for street in document["streets"]:
            for community in street["communities"]:
                for checkpoint in community["checkpoints"]:
                    checkpoint["gates"] = [g for g in checkpoint["gates"] if g["id"] != BENCH_GATE
                                           and int(g["id"][1:]) < args.gates]
        places = os.path.join(work, "places.json")
        with open(places, "w") as f:
            json.dump(document, f)
        subprocess.run([central_bin, "places", "import", "--db", db, places], check=True, capture_output=True)
        port = 20000 + secrets.randbelow(20000)
        token = secrets.token_hex(16)
        log = open(os.path.join(work, "serve.log"), "w+")
        server = subprocess.Popen([central_bin, "serve", "--db", db, "--listen", f"127.0.0.1:{port}"],
                                  stderr=log, stdout=subprocess.DEVNULL,
                                  env=dict(os.environ, CHECKPOINT_CENTRAL_ADMIN_TOKEN=token))

        def listening():
            log.seek(0)
            return '"msg":"listening"' in log.read()
        wait_for(listening, 60, "checkpoint-central to listen")
        gates, stats, window, cpu0, cpu1, registration_seconds = asyncio.run(
            simulate(args, port, token, server.pid, None if args.db else os.path.join(pg.dir, "data")))
        journaled = sum(g.seq for g in gates)
        held = int(psql(db, "SELECT count(*) FROM entries").strip()) + int(psql(db, "SELECT count(*) FROM quarantine").strip())
        contiguous = int(psql(db, "SELECT coalesce(sum(contiguous_through), 0) FROM epochs").strip())
        # How long the store takes to stop after the load (systemd gives a unit 90 s by default);
        # measured, not a reason to lose the run's figures.
        stop_started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(60)
            stop_seconds = round(time.monotonic() - stop_started, 1)
            server = None
        except subprocess.TimeoutExpired:
            stop_seconds = None
            log.seek(0)
            print("many_gates: checkpoint-central did not stop within 60 s of SIGTERM; its log's last lines:\n"
                  + "".join(log.readlines()[-20:]), file=sys.stderr)
    finally:
        if server is not None:
            server.kill()
        if pg:
            pg.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    central_cpu = cpu1[0] - cpu0[0]
    pg_cpu = cpu1[1] - cpu0[1] if cpu0[1] is not None else None
    gen_cpu = cpu1[2] - cpu0[2]
    offered_rate = stats.offered / window
    stored_rate = stats.stored / window
    ingest, heartbeat = summary(stats.latency["ingest"]), summary(stats.latency["heartbeat"])
    requests = sum(len(v) for v in stats.latency.values())
    errors = sum(stats.errors.values())
    store_cpu = central_cpu + (pg_cpu or 0)
    out = {
        "machine": f"{os.cpu_count()} cores", "gates": args.gates, "recordsPerSecondPerGate": args.rate,
        "heartbeatSeconds": args.heartbeat_seconds, "uplinkCycle": args.uplink_cycle, "seconds": round(window, 1),
        "registrationSeconds": round(registration_seconds, 1),
        "offeredRecordsPerSecond": round(offered_rate, 1), "storedRecordsPerSecond": round(stored_rate, 1),
        "records": {"offered": stats.offered, "stored": stats.stored, "duplicates": stats.duplicates,
                    "quarantined": stats.quarantined,
                    "meanBatch": round(sum(stats.batch_sizes) / len(stats.batch_sizes), 2) if stats.batch_sizes else None,
                    "journaledInAll": journaled, "heldByTheStore": held, "contiguousInAll": contiguous},
        "requestsPerSecond": round(requests / window, 1),
        "ingest": ingest, "heartbeat": heartbeat,
        **({"watchlist": summary(stats.latency["watchlist"]), "commandPolls": summary(stats.latency["commands"])}
           if args.uplink_cycle else {}),
        "errors": errors, "errorsByKind": stats.errors,
        "cpu": {"centralSeconds": round(central_cpu, 1), "postgresSeconds": round(pg_cpu, 1) if pg_cpu is not None else None,
                "generatorSeconds": round(gen_cpu, 1),
                "centralCores": round(central_cpu / window, 3),
                "postgresCores": round(pg_cpu / window, 3) if pg_cpu is not None else None,
                "generatorCores": round(gen_cpu / window, 3),
                "storeMicrosPerRecord": round(store_cpu / max(1, stats.stored) * 1e6, 1),
                "storeMicrosPerRequest": round(store_cpu / max(1, requests) * 1e6, 1)},
        "stopSecondsAfterSIGTERM": stop_seconds,
        "loadAverage1mAtStart": round(cpu0[3], 2),
        "loadAverage1m": round(os.getloadavg()[0], 2),
        **({"work": work} if args.keep else {}),
    }
    out["ratios"] = {
        "errors (goal 0)": errors,
        "recordsStoredVsOffered (goal 1.0)": round(stats.stored / stats.offered, 4) if stats.offered else None,
        "heldVsJournaledInAll (goal 1.0)": round(held / journaled, 4) if journaled else None,
        f"p99IngestMsVsGoal{P99_GOAL_MS}": round(ingest["p99Ms"] / P99_GOAL_MS, 2) if ingest["p99Ms"] is not None else None,
        f"p99HeartbeatMsVsGoal{P99_GOAL_MS}": round(heartbeat["p99Ms"] / P99_GOAL_MS, 2) if heartbeat["p99Ms"] is not None else None,
        "storeCoresVsMachine": round(store_cpu / window / os.cpu_count(), 3),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
