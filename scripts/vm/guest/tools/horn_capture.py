#!/usr/bin/env python3
"""horn_capture.py AMP_VALUE SECONDS ACTIONS_JSON: the far side of the horn, in one process so that
every time below is on one clock (CLOCK_MONOTONIC, ms since start).

Captures the snd-aloop cable's far end (hw:Loopback,1,0; S16_LE, 16 kHz, mono — opened before the
daemon plays, so the cable takes this format and the daemon's plughw converts to it; low enough for
Python under emulation to keep up without overruns, which it reports), samples the
amplifier line's gpio-sim `value`, and sends control requests to checkpointd at given times:
ACTIONS_JSON is a list of [ms, {"command": …, "arguments": {…}}]. Prints one JSON object: amplifier
edges [[ms, value]], the first and last sample louder than 1000 ("sound"), the first sample louder
than 20000 ("loud"), and the time each action was sent. A frame's time is the time its read returned
minus the frames after it in that read (5 ms periods)."""
import array
import json
import os
import select
import socket
import subprocess
import sys
import time

amp_path, seconds, actions = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
RATE, FRAME = 16000, 2
rec = subprocess.Popen(["arecord", "-q", "-D", "hw:Loopback,1,0", "-f", "S16_LE", "-r", str(RATE), "-c", "1",
                        "-t", "raw", "--period-size=80", "--buffer-size=3200"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
fd = rec.stdout.fileno()
os.set_blocking(fd, False)
amp = open(amp_path, "rb", buffering=0)
start = time.monotonic()
ms = lambda t: round((t - start) * 1000, 2)
out = {"amp": [], "sound": None, "lastSound": None, "loud": None, "sent": [], "replies": []}
last_amp, pending, sent = None, b"", 0
print("capturing", file=sys.stderr, flush=True)
while time.monotonic() - start < seconds:
    now = time.monotonic()
    while sent < len(actions) and ms(now) >= actions[sent][0]:
        s = socket.socket(socket.AF_UNIX)
        s.connect("/run/checkpoint/control.sock")
        out["sent"].append(ms(time.monotonic()))
        s.sendall((json.dumps(actions[sent][1]) + "\n").encode())
        out["replies"].append(s.recv(4096).decode().strip())
        s.close()
        sent += 1
    amp.seek(0)
    v = amp.read().strip().decode()
    if v != last_amp:
        out["amp"].append([ms(time.monotonic()), int(v)])
        last_amp = v
    r, _, _ = select.select([fd], [], [], 0.001)
    if r:
        chunk = os.read(fd, 65536)
        t_read = time.monotonic()
        data = pending + chunk
        frames = len(data) // FRAME
        pending = data[frames * FRAME:]
        samples = array.array("h", data[:frames * FRAME])
        if frames and (max(samples) > 1000 or min(samples) < -1000):
            at = lambda i: ms(t_read - (frames - 1 - i) / RATE)
            if out["sound"] is None:
                out["sound"] = at(next(i for i, v in enumerate(samples) if abs(v) > 1000))
            out["lastSound"] = at(next(i for i in range(frames - 1, -1, -1) if abs(samples[i]) > 1000))
            if out["loud"] is None and (max(samples) > 20000 or min(samples) < -20000):
                out["loud"] = at(next(i for i, v in enumerate(samples) if abs(v) > 20000))
rec.terminate()
out["overruns"] = rec.stderr.read().decode(errors="replace").count("overrun")
print(json.dumps(out))
