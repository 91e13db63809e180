#!/usr/bin/env python3
"""edges.py VALUE_FILE EDGES TIMEOUT_S: samples a gpio-sim line's sysfs `value` every 0.5 ms and
prints `initial <v>` at once, then `<ms since start> <v> <gap ms>` for each change, until EDGES
changes were seen or TIMEOUT_S passed (exit 1 then). Times are CLOCK_MONOTONIC, in ms with
decimals. `gap` is the time since the sample before the change: the edge happened within it, so it
is the measurement's uncertainty for that edge (large when this process was not scheduled).

It sleeps between samples rather than spinning: a spinning sampler takes a whole vCPU from the
daemon whose timing it measures."""
import sys
import time

path, wanted, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with open(path, "rb", buffering=0) as f:
    def read():
        f.seek(0)
        return f.read().strip().decode()
    last = read()
    start = time.monotonic()
    previous = start
    print(f"initial {last}", flush=True)
    seen = 0
    while seen < wanted:
        now = time.monotonic()
        if now - start > limit:
            print(f"timeout after {seen} edges", flush=True)
            sys.exit(1)
        v = read()
        if v != last:
            print(f"{(now - start) * 1000:.2f} {v} {(now - previous) * 1000:.2f}", flush=True)
            last = v
            seen += 1
        previous = now
        time.sleep(0.0005)
