#!/usr/bin/env python3
"""Scale of the central store: API ingest rate and ledger query latency as the store grows.

For each engine (SQLite in a fresh directory; PostgreSQL on a throwaway server this script starts,
or --db) and each size, a fresh store is made by
`checkpoint-central` (its migrations), 10 street offices / 40 communities / 130 checkpoints /
2,000 gates are imported, and the entries table is filled with SQL straight into that schema:
`size` rows over the 30 days before today, in time order, every gate in turn, credentials
repeating (size / 100 of them, at least 1,000). The entries' indexes are dropped for the fill
and made again with the migrations' own definitions. Then `checkpoint-central serve` starts and
the script measures, through the HTTP API as a gate and the staff use it:

  ingest         POST /v1/ingest, batches of 500 fresh records from one registered gate, one
                 batch in flight (as a gate's uplink sends): wall ms per batch, records/s;
  checkpointDay  GET /v1/ledgers/checkpoint/{id}?from=&to= over one UTC day (a page of 500 entries
                 and the day's hourly counts);
  streetDay      GET /v1/ledgers/street/{id}?from=&to= over one UTC day;
  passages       GET /v1/passages?payload= for one credential (all its passages).

With --copy (PostgreSQL), the same number of fresh rows also goes in by a bare `COPY entries FROM
STDIN` (psql, one transaction) into the same store, and again by multi-row INSERTs of 500 rows, one
transaction each (the store's statement without the API), and by one COPY per 500 rows and
transaction; each rate is reported beside the API's.

The reference is a fresh empty store of the same engine served beside it: ingest batches go to the
two stores alternately (so both see the same load on a shared machine) and the same queries run on
it. Every figure is reported with its ratio to the empty store's and the 1-minute load average when
it was taken. Prints one JSON object. --bin is the folder holding a
release `checkpoint-central`.
"""
import argparse, hashlib, http.client, json, os, secrets, shutil, signal, sqlite3, statistics, subprocess, sys, tempfile, time
import uuid as uuidlib

from drain import cpu_seconds, wait_for  # the same helpers as the backlog-drain benchmark

GATES, CHECKPOINTS, COMMUNITIES, STREETS = 2000, 130, 40, 10
DAYS = 30
BENCH_GATE = "gate-bench"
DAY_MS = 86_400_000


def load():
    return float(open("/proc/loadavg").read().split()[0])


def places_document():
    """Streets s00…, communities m000…, checkpoints cp000…, gates g0000… spread evenly; the bench gate at cp000."""
    streets = [{"id": f"s{s:02d}", "name": f"street {s}", "communities": []} for s in range(STREETS)]
    communities = []
    for m in range(COMMUNITIES):
        community = {"id": f"m{m:03d}", "name": f"community {m}", "checkpoints": []}
        streets[m % STREETS]["communities"].append(community)
        communities.append(community)
    checkpoints = []
    for c in range(CHECKPOINTS):
        checkpoint = {"id": f"cp{c:03d}", "name": f"checkpoint {c}", "gates": []}
        communities[c % COMMUNITIES]["checkpoints"].append(checkpoint)
        checkpoints.append(checkpoint)
    for g in range(GATES):
        checkpoints[g % CHECKPOINTS]["gates"].append({"id": f"g{g:04d}"})
    checkpoints[0]["gates"].append({"id": BENCH_GATE})
    return {"streets": streets}


def gate_checkpoint(g):
    return g % CHECKPOINTS


def credentials(size):
    return max(1000, size // 100)


class Postgres:
    """A throwaway PostgreSQL server (initdb in a temp dir, private port), like scripts/test.sh."""

    def __init__(self, work):
        bins = sorted(d for d in os.listdir("/usr/lib/postgresql"))
        self.bin = f"/usr/lib/postgresql/{bins[-1]}/bin"
        self.dir = os.path.join(work, "pg")
        os.mkdir(self.dir)
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(work, "postgres")
            shutil.chown(self.dir, "postgres")
        self.run("initdb", "-D", f"{self.dir}/data", "-A", "trust", "-U", "postgres", "--no-sync")
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-w", "-l", f"{self.dir}/log", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on", "start")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool, *args):
        cmd = [f"{self.bin}/{tool}", *args]
        if self.root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True)

    def stop(self):
        self.run("pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop")


def psql(url, sql, stdin=None):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql], check=True,
                          capture_output=True, text=True, input=stdin).stdout


class Store:
    """One fresh store of one engine: the database URL, the fill, and a running server."""

    def __init__(self, args, engine, size, work, pg):
        self.args, self.engine, self.size = args, engine, size
        self.central = os.path.join(args.bin, "checkpoint-central")
        if engine == "sqlite":
            path = os.path.join(work, f"central-{size}.sqlite")
            self.db = "sqlite:" + path
            self.path = path
        else:
            name = f"scale_{size}_{secrets.token_hex(3)}"
            base = args.db or pg.url
            psql(base, f"CREATE DATABASE {name}")
            self.db = base.rsplit("/", 1)[0] + "/" + name
            self.base = base
            self.name = name
        places = os.path.join(work, "places.json")
        with open(places, "w") as f:
            json.dump(places_document(), f)
        subprocess.run([self.central, "places", "import", "--db", self.db, places], check=True, capture_output=True)
        reg = subprocess.run([self.central, "gate", "register", "--db", self.db, "--id", BENCH_GATE, "--checkpoint", "cp000"],
                             check=True, capture_output=True, text=True).stdout
        self.gate_secret = reg.splitlines()[0].split(":")[-1].strip()
        self.epoch = str(uuidlib.uuid4())
        self.seq = 0
        self.now_ms = int(time.time() * 1000)
        # The filled days end at the last UTC midnight; queries look at the day before it.
        self.fill_end_ms = self.now_ms // DAY_MS * DAY_MS
        self.fill_start_ms = self.fill_end_ms - DAYS * DAY_MS

    # --- fill --------------------------------------------------------------------------------
    def fill(self):
        if self.size == 0:
            return 0.0
        started = time.monotonic()
        if self.engine == "sqlite":
            self.fill_sqlite()
        else:
            self.fill_postgres()
        return time.monotonic() - started

    def fill_sqlite(self):
        db = sqlite3.connect(self.path, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-262144")
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' "
                             "AND sql IS NOT NULL").fetchall()
        db.execute("BEGIN")
        for name, _ in indexes:
            db.execute(f"DROP INDEX {name}")
        db.execute("CREATE TEMP TABLE fill_gates (n INTEGER PRIMARY KEY, id TEXT, epoch TEXT)")
        db.executemany("INSERT INTO fill_gates VALUES (?, ?, ?)",
                       [(g, f"g{g:04d}", str(uuidlib.uuid4())) for g in range(GATES)])
        db.execute("CREATE TEMP TABLE creds (n INTEGER PRIMARY KEY, payload TEXT, sha TEXT)")
        rows = []
        for c in range(credentials(self.size)):
            payload = f"RES-{c:08d}"
            rows.append((c, payload, hashlib.sha256(payload.encode()).hexdigest()))
        db.executemany("INSERT INTO creds VALUES (?, ?, ?)", rows)
        n, c = self.size, credentials(self.size)
        span = DAYS * DAY_MS
        uuid_sql = ("lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) "
                    "|| '-a' || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))")
        db.execute(f"""
            WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1})
            INSERT INTO entries (gate, journal_epoch, seq, id, occurred_at_ms, received_at_ms, clock_synced, boot_id,
                monotonic_nanos, lane, direction, credential_kind, credential_payload, credential_symbology, credential_sha256,
                temperature_celsius, temperature_kind, temperature_raw, temperature_device, decision, reason, policy_version,
                recorded_by)
            SELECT g.id, g.epoch, s.i / {GATES} + 1, {uuid_sql}, {self.fill_start_ms} + s.i * {span} / {n},
                {self.fill_start_ms} + s.i * {span} / {n} + 1000, 1, 'boot-fill', s.i, 'lane-1',
                CASE s.i % 2 WHEN 0 THEN 'in' ELSE 'out' END, 'code', c.payload, 'qr', c.sha,
                36.0 + (s.i % 9) / 10.0, 'body', 33.0 + (s.i % 9) / 10.0, 'th-1',
                CASE WHEN s.i % 100 < 97 THEN 'admit' WHEN s.i % 100 < 99 THEN 'refuse' ELSE 'refer' END,
                CASE WHEN s.i % 100 < 97 THEN 'admitted' WHEN s.i % 100 < 99 THEN 'codeDenied' ELSE 'fever' END,
                'v1', NULL
            FROM s JOIN fill_gates g ON g.n = s.i % {GATES} JOIN creds c ON c.n = (s.i * 2654435761) % {c}
            """)
        for _, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

    def fill_postgres(self):
        n, c = self.size, credentials(self.size)
        span = DAYS * DAY_MS
        indexes = psql(self.db, "SELECT indexname || chr(9) || indexdef FROM pg_indexes WHERE tablename = 'entries' "
                                "AND indexname NOT LIKE '%_pkey'").splitlines()
        drops = "".join(f"DROP INDEX {line.split(chr(9))[0]};" for line in indexes)
        creates = "".join(f"{line.split(chr(9))[1]};" for line in indexes)
        gates = ",".join(f"({g}, 'g{g:04d}', '{uuidlib.uuid4()}'::uuid)" for g in range(GATES))
        psql(self.db, f"""
            BEGIN;
            {drops}
            CREATE TEMP TABLE fill_gates (n BIGINT PRIMARY KEY, id TEXT, epoch UUID);
            INSERT INTO fill_gates VALUES {gates};
            CREATE TEMP TABLE creds AS SELECT n::bigint AS n, 'RES-' || lpad(n::text, 8, '0') AS payload
                FROM generate_series(0, {c - 1}) n;
            ALTER TABLE creds ADD COLUMN sha TEXT;
            UPDATE creds SET sha = encode(sha256(convert_to(payload, 'UTF8')), 'hex');
            ALTER TABLE creds ADD PRIMARY KEY (n);
            INSERT INTO entries (gate, journal_epoch, seq, id, occurred_at_ms, received_at_ms, clock_synced, boot_id,
                monotonic_nanos, lane, direction, credential_kind, credential_payload, credential_symbology, credential_sha256,
                temperature_celsius, temperature_kind, temperature_raw, temperature_device, decision, reason, policy_version,
                recorded_by)
            SELECT g.id, g.epoch, s.i / {GATES} + 1, gen_random_uuid(), {self.fill_start_ms} + s.i * {span} / {n},
                {self.fill_start_ms} + s.i * {span} / {n} + 1000, true, 'boot-fill', s.i, 'lane-1',
                CASE s.i % 2 WHEN 0 THEN 'in' ELSE 'out' END, 'code', c.payload, 'qr', c.sha,
                36.0 + (s.i % 9) / 10.0, 'body', 33.0 + (s.i % 9) / 10.0, 'th-1',
                CASE WHEN s.i % 100 < 97 THEN 'admit' WHEN s.i % 100 < 99 THEN 'refuse' ELSE 'refer' END,
                CASE WHEN s.i % 100 < 97 THEN 'admitted' WHEN s.i % 100 < 99 THEN 'codeDenied' ELSE 'fever' END,
                'v1', NULL
            FROM generate_series(0::bigint, {n - 1}) AS s(i) JOIN fill_gates g ON g.n = s.i % {GATES}
                JOIN creds c ON c.n = (s.i * 2654435761) % {c};
            {creates}
            COMMIT;
            """)
        # What autovacuum would have done by the time a real store held these rows.
        psql(self.db, "VACUUM ANALYZE")

    # --- server ------------------------------------------------------------------------------
    def start(self, work):
        self.port = 20000 + secrets.randbelow(20000)
        self.token = secrets.token_hex(16)
        self.log = open(os.path.join(work, f"serve-{self.engine}-{self.size}.log"), "w+")
        self.server = subprocess.Popen([self.central, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}"],
                                       stderr=self.log, stdout=subprocess.DEVNULL,
                                       env=dict(os.environ, CHECKPOINT_CENTRAL_ADMIN_TOKEN=self.token))

        def listening():
            self.log.seek(0)
            return '"msg":"listening"' in self.log.read()
        wait_for(listening, 60, "checkpoint-central to listen")
        self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def stop(self):
        self.http.close()
        self.server.send_signal(signal.SIGTERM)
        self.server.wait(60)

    def request(self, method, path, body=None, auth=None):
        headers = {"Authorization": f"Bearer {auth or self.token}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.http.request(method, path, body=body, headers=headers)
        response = self.http.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            sys.exit(f"store_scale: {method} {path[:80]} answered {response.status}: {data[:300]!r}")
        return elapsed, data

    # --- measures ----------------------------------------------------------------------------
    def batch(self, count=500):
        now = time.time()
        records = []
        for k in range(count):
            self.seq += 1
            payload = f"RES-{secrets.randbelow(credentials(self.size)):08d}"
            records.append({
                "id": str(uuidlib.uuid4()), "gate": BENCH_GATE, "journalEpoch": self.epoch, "seq": self.seq,
                "occurredAt": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now - 60)) + ".000Z",
                "clockSynced": True, "bootID": "boot-bench", "monotonicNanos": self.seq * 1000, "lane": "lane-1",
                "direction": "in", "credential": {"kind": "code", "payload": payload, "symbology": "qr"},
                "temperature": {"celsius": 36.5, "kind": "body", "raw": 33.5, "device": "th-1"},
                "decision": "admit", "reason": "admitted", "policyVersion": "v1"})
        return json.dumps({"gate": BENCH_GATE, "records": records}).encode()

    def ingest(self, batches, reference):
        """Batches sent alternately to this store and to `reference` (an empty store), so that both
        figures see the same load on a shared machine."""
        auth = f"{BENCH_GATE}:{self.gate_secret}"
        ref_auth = f"{BENCH_GATE}:{reference.gate_secret}"
        for _ in range(2):  # warm-up: connections, caches
            self.request("POST", "/v1/ingest", self.batch(), auth)
            reference.request("POST", "/v1/ingest", reference.batch(), ref_auth)
        pairs = [(self.batch(), reference.batch()) for _ in range(batches)]
        times, ref_times = [], []
        cpu, ref_cpu = cpu_seconds(self.server.pid), cpu_seconds(reference.server.pid)
        for body, ref_body in pairs:
            times.append(self.request("POST", "/v1/ingest", body, auth)[0])
            ref_times.append(reference.request("POST", "/v1/ingest", ref_body, ref_auth)[0])
        return (self.figures(times, cpu_seconds(self.server.pid) - cpu),
                reference.figures(ref_times, cpu_seconds(reference.server.pid) - ref_cpu))

    @staticmethod
    def figures(times, cpu):
        """Wall ms per batch (client side) and the server's CPU µs per record."""
        return {"batchMs": round(statistics.median(times), 2), "batchMsMean": round(statistics.mean(times), 2),
                "batchMsMax": round(max(times), 2),
                "recordsPerSecond": round(500 * len(times) / (sum(times) / 1000)), "batches": len(times),
                "serverCPUMicrosPerRecord": round(cpu / (500 * len(times)) * 1e6, 1), "load": load()}

    def queries(self, repeat):
        day = self.fill_end_ms - DAY_MS
        frm = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(day / 1000))
        to = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime((day + DAY_MS) / 1000))
        result = {}
        cases = {
            "checkpointDay": [f"/v1/ledgers/checkpoint/cp{(7 * k + 1) % CHECKPOINTS:03d}?from={frm}&to={to}" for k in range(repeat)],
            "streetDay": [f"/v1/ledgers/street/s{(3 * k + 1) % STREETS:02d}?from={frm}&to={to}" for k in range(repeat)],
            "passages": [f"/v1/passages?payload=RES-{(7919 * k + 13) % credentials(self.size):08d}" for k in range(repeat)],
        }
        for name, paths in cases.items():
            self.request("GET", paths[0])  # warm-up
            times, rows = [], []
            for path in paths:
                elapsed, data = self.request("GET", path)
                times.append(elapsed)
                body = json.loads(data)
                rows.append(len(body.get("entries", body.get("passages", []))))
            result[name] = {"p50Ms": round(statistics.median(times), 1), "maxMs": round(max(times), 1),
                            "entriesReturned": round(statistics.median(rows)), "load": load()}
        return result

    COPY_COLUMNS = ("gate, journal_epoch, seq, id, occurred_at_ms, received_at_ms, clock_synced, boot_id, monotonic_nanos, "
                    "lane, direction, credential_kind, credential_payload, credential_symbology, credential_sha256, "
                    "temperature_celsius, temperature_kind, temperature_raw, temperature_device, decision, reason, "
                    "policy_version, recorded_by")

    def fresh_rows(self, count):
        """`count` fresh entries rows of the bench gate in a new epoch, as lists of SQL literals' text."""
        epoch = str(uuidlib.uuid4())
        rows = []
        for k in range(1, count + 1):
            payload = f"RES-{secrets.randbelow(credentials(self.size)):08d}"
            sha = hashlib.sha256(payload.encode()).hexdigest()
            rows.append([BENCH_GATE, epoch, str(k), str(uuidlib.uuid4()), str(self.now_ms - 60_000), str(self.now_ms), "t",
                         "boot-bench", str(k * 1000), "lane-1", "in", "code", payload, "qr", sha, "36.5", "body", "33.5",
                         "th-1", "admit", "admitted", "v1", None])
        return rows

    def copy(self, count):
        """`count` fresh rows by a bare COPY into entries (one transaction, psql), and as many again by
        multi-row INSERTs of 500 rows, one transaction each (the store's statement, without the API), and
        by one COPY of 500 rows per transaction (what COPY would give the store's batches)."""
        data = "".join("\t".join("\\N" if v is None else v for v in row) + "\n" for row in self.fresh_rows(count))
        started = time.perf_counter()
        subprocess.run(["psql", self.db, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", f"COPY entries ({self.COPY_COLUMNS}) FROM STDIN"],
                       input=data, text=True, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        rows = self.fresh_rows(count)
        literal = lambda v: "NULL" if v is None else "'" + v + "'"
        script = "".join("BEGIN;\nINSERT INTO entries (" + self.COPY_COLUMNS + ") VALUES "
                         + ",".join("(" + ",".join(literal(v) for v in row) + ")" for row in rows[i:i + 500]) + ";\nCOMMIT;\n"
                         for i in range(0, count, 500))
        started = time.perf_counter()
        subprocess.run(["psql", self.db, "-v", "ON_ERROR_STOP=1", "-qAtX"], input=script, text=True, check=True, capture_output=True)
        insert_seconds = time.perf_counter() - started
        rows = self.fresh_rows(count)
        script = "".join(f"BEGIN;\nCOPY entries ({self.COPY_COLUMNS}) FROM STDIN;\n"
                         + "".join("\t".join("\\N" if v is None else v for v in row) + "\n" for row in rows[i:i + 500])
                         + "\\.\nCOMMIT;\n" for i in range(0, count, 500))
        started = time.perf_counter()
        subprocess.run(["psql", self.db, "-v", "ON_ERROR_STOP=1", "-qAtX"], input=script, text=True, check=True, capture_output=True)
        copy_batches_seconds = time.perf_counter() - started
        return {"records": count, "seconds": round(seconds, 3), "recordsPerSecond": round(count / seconds),
                "insertBatchesRecordsPerSecond": round(count / insert_seconds),
                "copyBatchesRecordsPerSecond": round(count / copy_batches_seconds), "load": load()}

    def drop(self):
        if self.engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.remove(self.path + suffix)
                except FileNotFoundError:
                    pass
        else:
            psql(self.base, f"DROP DATABASE {self.name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="folder holding a release checkpoint-central")
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--sizes", default="100000,1000000,10000000",
                    help="stored entries; each size is measured beside a fresh empty store (the reference)")
    ap.add_argument("--db", help="a PostgreSQL server URL (postgres://…/db) to make the stores in; default a throwaway server")
    ap.add_argument("--batches", type=int, default=40, help="timed ingest batches of 500 per store")
    ap.add_argument("--repeat", type=int, default=9, help="times each query is run (other places/credentials each time)")
    ap.add_argument("--copy", action="store_true", help="PostgreSQL: also COPY as many rows as the API ingested")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (logs, SQLite stores, PostgreSQL data)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="checkpoint-scale-")
    os.chmod(work, 0o755)
    engines = args.engines.split(",")
    pg = Postgres(work) if "postgres" in engines and not args.db else None
    out = {"machine": f"{os.cpu_count()} cores", "engines": {}}
    try:
        for engine in engines:
            results = []
            for size in [int(s) for s in args.sizes.split(",") if s]:
                store = Store(args, engine, size, work, pg)
                fill_seconds = store.fill()
                reference = Store(args, engine, 0, work, pg)
                store.start(work)
                reference.start(work)
                ingest, ref_ingest = store.ingest(args.batches, reference)
                entry = {"entries": size, "fillSeconds": round(fill_seconds, 1), "ingest": ingest, "emptyIngest": ref_ingest,
                         "ingestRatioToEmpty": round(ingest["batchMs"] / ref_ingest["batchMs"], 2),
                         "queries": store.queries(args.repeat), "emptyQueries": reference.queries(args.repeat)}
                for name, q in entry["queries"].items():
                    q["ratioToEmpty"] = round(q["p50Ms"] / entry["emptyQueries"][name]["p50Ms"], 1)
                store.stop()
                reference.stop()
                if args.copy and engine == "postgres":
                    entry["copy"] = store.copy(500 * args.batches)
                    entry["apiToCopy"] = round(ingest["recordsPerSecond"] / entry["copy"]["recordsPerSecond"], 2)
                    entry["insertBatchesToCopy"] = round(entry["copy"]["insertBatchesRecordsPerSecond"]
                                                         / entry["copy"]["recordsPerSecond"], 2)
                results.append(entry)
                print(json.dumps({"engine": engine, **entry}), file=sys.stderr, flush=True)
                if not args.keep:
                    store.drop()
                    reference.drop()
            out["engines"][engine] = results
    finally:
        if pg:
            pg.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    # The figures beside their goals, as every system script reports them (system/summary.py).
    out["loadAverage1m"] = round(os.getloadavg()[0], 2)
    out["ratios"] = {}
    for engine, results in out["engines"].items():
        for entry in results:
            n = f"{engine}@{entry['entries']:.0e}".replace("+0", "").replace("+", "")
            out["ratios"][f"{n} ingestVsEmpty (goal ≤ 1.5)"] = entry["ingestRatioToEmpty"]
            worst = max(q["p50Ms"] for q in entry["queries"].values())
            out["ratios"][f"{n} slowestLedgerQueryP50Vs200ms"] = round(worst / 200, 2)
            if "apiToCopy" in entry:
                out["ratios"][f"{n} apiVsCopy (goal ≥ 0.5)"] = entry["apiToCopy"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
