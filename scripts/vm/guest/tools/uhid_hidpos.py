#!/usr/bin/env python3
"""uhid_hidpos.py: a Honeywell-style USB HID POS scanner made with /dev/uhid.

The report descriptor declares usage page 0x8C (bar code scanner) with input report 2 (63 bytes
after the report id) and output report 4, as Honeywell's USB interfaces guide lays report 2 out:
[0] 0x02, [1] length ≤ 56, [2..4] AIM id, [5..60] data, [61] Honeywell code id, [63] bit 0 = more
packets follow. Prints the device's /dev/hidrawN once it exists, then reads lines from stdin:
  scan AIM CODEID TEXT   TEXT (UTF-8) in as many 56-byte packets as it needs
A line `quit` removes the device.
"""
import os
import struct
import sys
import time

UHID_CREATE2, UHID_INPUT2, UHID_DESTROY = 11, 12, 1
EVENT_SIZE = 4 + 128 + 64 + 64 + 2 + 2 + 4 * 4 + 4096
DESCRIPTOR = bytes([
    0x06, 0x8C, 0x00,        # Usage Page (Bar Code Scanner)
    0x09, 0x02,              # Usage (Bar Code Scanner)
    0xA1, 0x01,              # Collection (Application)
    0x85, 0x02,              #   Report ID 2: decoded data
    0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x3F,
    0x09, 0xFE,              #   Usage (Decoded Data, as vendor-neutral as it gets)
    0x81, 0x02,              #   Input (Data, Var, Abs)
    0x85, 0x04,              #   Report ID 4: commands to the scanner
    0x95, 0x3F, 0x09, 0xFF,
    0x91, 0x02,              #   Output (Data, Var, Abs)
    0xC0,                    # End Collection
])
name = f"checkpoint-vm HID POS scanner {os.getpid()}"

fd = os.open("/dev/uhid", os.O_RDWR)


def send(event_type, payload):
    os.write(fd, (struct.pack("<I", event_type) + payload).ljust(EVENT_SIZE, b"\0"))


send(UHID_CREATE2, struct.pack("<128s64s64sHHIIII", name.encode(), b"usb-vm/input0", b"VM0001",
                               len(DESCRIPTOR), 0x03, 0x1209, 0x0003, 1, 0) + DESCRIPTOR)
node = None
deadline = time.monotonic() + 10
while node is None and time.monotonic() < deadline:
    for entry in (os.listdir("/sys/class/hidraw") if os.path.isdir("/sys/class/hidraw") else []):
        with open(f"/sys/class/hidraw/{entry}/device/uevent") as f:
            if f"HID_NAME={name}\n" in f.read() and os.path.exists(f"/dev/{entry}"):
                node = f"/dev/{entry}"
    if node is None:
        time.sleep(0.05)
if node is None:
    raise SystemExit("uhid_hidpos: no hidraw node appeared")
print(node, flush=True)

for line in sys.stdin:
    words = line.rstrip("\n").split(" ", 3)
    if words[0] == "quit":
        break
    if words[0] == "scan" and len(words) == 4:
        aim, code_id, data = words[1].encode(), ord(words[2]), words[3].encode()
        chunks = [data[i:i + 56] for i in range(0, len(data), 56)] or [b""]
        for n, chunk in enumerate(chunks):
            report = bytearray(64)
            report[0], report[1] = 0x02, len(chunk)
            report[2:5] = aim
            report[5:5 + len(chunk)] = chunk
            report[61] = code_id
            report[63] = 1 if n < len(chunks) - 1 else 0
            send(UHID_INPUT2, struct.pack("<H", 64) + bytes(report))
            time.sleep(0.005)
        print(f"sent {len(chunks)}", flush=True)
send(UHID_DESTROY, b"")
