"""A stand-in central store over loopback HTTP that refuses on purpose, for the uplink's tests.

It speaks the gate-facing part of the central API (POST /v1/ingest, POST /v1/heartbeat,
GET /v1/watchlist) and:
  - answers 413 to a batch of more than --max-batch records;
  - answers 400 (invalidBody) to a batch holding a record whose credential payload contains
    "POISON", as a store answers a record it cannot decode;
  - answers 401 to everything while the file --refuse-file exists;
  - answers 503 busy (Retry-After: 5) to ingests while the file --busy-file exists, as an
    overloaded store does;
  - otherwise stores the batch and acknowledges contiguousThrough per epoch.
Every ingest attempt is printed as one line `ingest <status> <count> <first seq> <last seq>`; every
heartbeat body is printed as `heartbeat <json>`. The first line is `port <n>`.
"""
import argparse
import datetime
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--max-batch", type=int, default=500)
parser.add_argument("--refuse-file", default="")
parser.add_argument("--busy-file", default="")
args = parser.parse_args()
held = {}  # epoch -> set of seqs


def say(line):
    print(line, flush=True)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refused(self):
        if args.refuse_file and os.path.exists(args.refuse_file):
            self.reply(401, {"error": {"code": "unauthorized", "message": "wrong secret"}})
            return True
        return False

    def do_GET(self):
        if self.refused():
            return
        self.reply(200, {"version": 0, "upserts": [], "removals": [], "full": False})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/v1/heartbeat":
            if self.refused():
                return
            say("heartbeat " + body.decode())
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            self.reply(200, {"serverTime": now, "watchListVersion": 0})
            return
        records = json.loads(body)["records"]
        seqs = [r["seq"] for r in records]
        if self.refused():
            say(f"ingest 401 {len(records)} {seqs[0]} {seqs[-1]}")
            return
        if args.busy_file and os.path.exists(args.busy_file):
            self.reply(503, {"error": {"code": "busy", "message": "no write turn within 5000 ms"}}, [("Retry-After", "5")])
            say(f"ingest 503 {len(records)} {seqs[0]} {seqs[-1]}")
            return
        if len(records) > args.max_batch:
            say(f"ingest 413 {len(records)} {seqs[0]} {seqs[-1]}")
            self.reply(413, {"error": {"code": "tooLarge", "message": f"more than {args.max_batch} records"}})
            return
        if any("POISON" in ((r.get("credential") or {}).get("payload") or "") for r in records):
            say(f"ingest 400 {len(records)} {seqs[0]} {seqs[-1]}")
            self.reply(400, {"error": {"code": "invalidBody", "message": "a record cannot be decoded"}})
            return
        acknowledged = []
        for epoch in sorted({r["journalEpoch"] for r in records}):
            mine = held.setdefault(epoch, set())
            mine.update(r["seq"] for r in records if r["journalEpoch"] == epoch)
            through = 0
            while through + 1 in mine:
                through += 1
            acknowledged.append({"journalEpoch": epoch, "contiguousThrough": through})
        say(f"ingest 200 {len(records)} {seqs[0]} {seqs[-1]}")
        self.reply(200, {"stored": [r["id"] for r in records], "duplicates": [], "quarantined": [],
                         "acknowledged": acknowledged})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
say(f"port {server.server_address[1]}")
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
