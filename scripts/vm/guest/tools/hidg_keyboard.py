#!/usr/bin/env python3
"""hidg_keyboard.py: the gadget side of a USB HID keyboard (a keyboard-wedge scanner), on /dev/hidgN.

  hidg_keyboard.py descriptor          writes the boot keyboard report descriptor (HID 1.11,
                                       Appendix E.6) to stdout, for configfs' functions/hid.*/report_desc
  hidg_keyboard.py type DEV TEXT [GAP_MS]
                                       types TEXT on the US layout, then Enter, as 8-byte boot
                                       keyboard input reports written to DEV (/dev/hidgN), GAP_MS
                                       (default 10) apart: a scanner's inter-character delay

An input report (HID 1.11, Appendix B.1): byte 0 the modifier bits (bit 1 Left Shift), byte 1
reserved, bytes 2-7 the pressed keys' usage ids (Usage Tables, Keyboard/Keypad page 0x07). Each
character is one report with its key down, then one with no key down (so that a repeated character is
two presses).
"""
import os
import sys
import time

# HID 1.11 Appendix E.6: Usage Page (Generic Desktop), Usage (Keyboard), Collection (Application);
# 8 modifier bits (usages 0xE0-0xE7); 1 reserved byte; 5 LED output bits + 3 padding; 6 key array bytes
# (usages 0x00-0x65); End Collection.
REPORT_DESCRIPTOR = bytes([
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01,
    0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
    0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
    0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02,
    0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
    0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00,
    0xC0,
])

LEFT_SHIFT = 0x02
ENTER = 0x28
# Keyboard/Keypad page usage ids (HID Usage Tables 1.12, section 10) for the US layout.
PLAIN = {}
SHIFTED = {}
for i, c in enumerate("abcdefghijklmnopqrstuvwxyz"):
    PLAIN[c] = 0x04 + i
    SHIFTED[c.upper()] = 0x04 + i
for i, c in enumerate("1234567890"):
    PLAIN[c] = 0x1E + i
for i, c in enumerate("!@#$%^&*()"):
    SHIFTED[c] = 0x1E + i
for c, usage, shifted in ((" ", 0x2C, None), ("-", 0x2D, "_"), ("=", 0x2E, "+"), ("[", 0x2F, "{"), ("]", 0x30, "}"),
                          ("\\", 0x31, "|"), (";", 0x33, ":"), ("'", 0x34, '"'), ("`", 0x35, "~"), (",", 0x36, "<"),
                          (".", 0x37, ">"), ("/", 0x38, "?")):
    PLAIN[c] = usage
    if shifted:
        SHIFTED[shifted] = usage


def report(modifiers, usage):
    return bytes([modifiers, 0, usage, 0, 0, 0, 0, 0])


def type_text(device, text, gap):
    reports = []
    for c in text:
        if c in PLAIN:
            reports.append(report(0, PLAIN[c]))
        elif c in SHIFTED:
            reports.append(report(LEFT_SHIFT, SHIFTED[c]))
        else:
            sys.exit(f"hidg_keyboard: no US key for {c!r}")
        reports.append(report(0, 0))
    reports += [report(0, ENTER), report(0, 0)]
    fd = os.open(device, os.O_WRONLY)
    try:
        for r in reports:
            os.write(fd, r)
            time.sleep(gap)
    finally:
        os.close(fd)
    print(f"typed {len(text)} characters and Enter on {device}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["descriptor"]:
        sys.stdout.buffer.write(REPORT_DESCRIPTOR)
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "type":
        type_text(sys.argv[2], sys.argv[3], (int(sys.argv[4]) if len(sys.argv) == 5 else 10) / 1000)
    else:
        sys.exit(__doc__)
