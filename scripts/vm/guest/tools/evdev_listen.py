#!/usr/bin/env python3
"""evdev_listen.py NODE SECONDS: reads NODE without grabbing it for SECONDS and prints how many key
events reached it, and whether EVIOCGRAB is refused (another reader holds the grab)."""
import errno
import fcntl
import os
import select
import sys
import time

EVIOCGRAB = 0x40044590
node, seconds = sys.argv[1], float(sys.argv[2])
fd = os.open(node, os.O_RDONLY | os.O_NONBLOCK)
try:
    fcntl.ioctl(fd, EVIOCGRAB, 1)
    fcntl.ioctl(fd, EVIOCGRAB, 0)
    grab = "free"
except OSError as e:
    grab = "busy" if e.errno == errno.EBUSY else f"error {e.errno}"
print(f"grab {grab}", flush=True)
keys = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    r, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
    if r:
        data = os.read(fd, 24 * 64)
        for i in range(0, len(data) - 23, 24):
            if int.from_bytes(data[i + 16:i + 18], "little") == 1:
                keys += 1
print(f"keys {keys}", flush=True)
