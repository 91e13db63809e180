#!/usr/bin/env python3
"""make_wav.py OUT.wav HZ MS AMPLITUDE: a 16-bit mono 48 kHz sine clip."""
import math
import struct
import sys
import wave

path, hz, ms, amplitude = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
n = 48000 * ms // 1000
with wave.open(path, "wb") as w:
    w.setnchannels(1)
    w.setsampwidth(2)
    w.setframerate(48000)
    w.writeframes(b"".join(struct.pack("<h", int(amplitude * math.sin(2 * math.pi * hz * i / 48000))) for i in range(n)))
