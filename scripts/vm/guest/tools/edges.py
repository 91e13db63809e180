#!/usr/bin/env python3
"""edges.py VALUE_FILE EDGES TIMEOUT_S: samples a gpio-sim line's sysfs `value` as fast as it can
and prints `initial <v>` at once, then `<ms since start> <v>` for each change, until EDGES changes
were seen or TIMEOUT_S passed (exit 1 then). Times are CLOCK_MONOTONIC, in ms with decimals."""
import sys
import time

path, wanted, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with open(path, "rb", buffering=0) as f:
    def read():
        f.seek(0)
        return f.read().strip().decode()
    last = read()
    start = time.monotonic()
    print(f"initial {last}", flush=True)
    seen = 0
    while seen < wanted:
        now = time.monotonic()
        if now - start > limit:
            print(f"timeout after {seen} edges", flush=True)
            sys.exit(1)
        v = read()
        if v != last:
            print(f"{(now - start) * 1000:.2f} {v}", flush=True)
            last = v
            seen += 1
