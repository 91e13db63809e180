#!/usr/bin/env python3
"""uinput_keyboard.py: a USB keyboard-wedge scanner made with /dev/uinput, typing what it is told.

Prints the device's event node (`/dev/input/eventN`) once it exists, then reads lines from stdin;
each line is typed as key events, token by token:
  KEY_X        press and release      +KEY_X / -KEY_X   press / release only
  us:TEXT      TEXT on the US layout (Shift where needed)
  de:TEXT      TEXT on the German (QWERTZ) layout, for the characters listed below
A line `quit` removes the device. Key codes are those of linux/input-event-codes.h.
"""
import fcntl
import os
import struct
import sys
import time

CODES = {"KEY_ESC": 1, "KEY_MINUS": 12, "KEY_EQUAL": 13, "KEY_BACKSPACE": 14, "KEY_TAB": 15,
         "KEY_LEFTBRACE": 26, "KEY_RIGHTBRACE": 27, "KEY_ENTER": 28, "KEY_LEFTCTRL": 29,
         "KEY_SEMICOLON": 39, "KEY_APOSTROPHE": 40, "KEY_GRAVE": 41, "KEY_LEFTSHIFT": 42,
         "KEY_BACKSLASH": 43, "KEY_COMMA": 51, "KEY_DOT": 52, "KEY_SLASH": 53, "KEY_RIGHTSHIFT": 54,
         "KEY_LEFTALT": 56, "KEY_SPACE": 57, "KEY_CAPSLOCK": 58, "KEY_KP7": 71, "KEY_KP8": 72,
         "KEY_KP9": 73, "KEY_KP4": 75, "KEY_KP5": 76, "KEY_KP6": 77, "KEY_KP1": 79, "KEY_KP2": 80,
         "KEY_KP3": 81, "KEY_KP0": 82, "KEY_102ND": 86, "KEY_KPENTER": 96, "KEY_RIGHTALT": 100}
for i, c in enumerate("1234567890"):
    CODES[f"KEY_{c}"] = 2 + i
for row, first in (("QWERTYUIOP", 16), ("ASDFGHJKL", 30), ("ZXCVBNM", 44)):
    for i, c in enumerate(row):
        CODES[f"KEY_{c}"] = first + i

US_PLAIN = {"-": "KEY_MINUS", "=": "KEY_EQUAL", "[": "KEY_LEFTBRACE", "]": "KEY_RIGHTBRACE", ";": "KEY_SEMICOLON",
            "'": "KEY_APOSTROPHE", "`": "KEY_GRAVE", "\\": "KEY_BACKSLASH", ",": "KEY_COMMA", ".": "KEY_DOT",
            "/": "KEY_SLASH", " ": "KEY_SPACE"}
US_SHIFT = {"_": "KEY_MINUS", "+": "KEY_EQUAL", "{": "KEY_LEFTBRACE", "}": "KEY_RIGHTBRACE", ":": "KEY_SEMICOLON",
            '"': "KEY_APOSTROPHE", "~": "KEY_GRAVE", "|": "KEY_BACKSLASH", "<": "KEY_COMMA", ">": "KEY_DOT",
            "?": "KEY_SLASH", "!": "KEY_1", "@": "KEY_2", "#": "KEY_3", "$": "KEY_4", "%": "KEY_5", "^": "KEY_6",
            "&": "KEY_7", "*": "KEY_8", "(": "KEY_9", ")": "KEY_0"}
# German QWERTZ (the OS layout), the characters the tests type.
DE_PLAIN = {"z": "KEY_Y", "y": "KEY_Z", ".": "KEY_DOT", "-": "KEY_SLASH", "ü": "KEY_LEFTBRACE",
            "ö": "KEY_SEMICOLON", "ä": "KEY_APOSTROPHE", "ß": "KEY_MINUS"}
DE_SHIFT = {"Z": "KEY_Y", "Y": "KEY_Z", ":": "KEY_DOT", "/": "KEY_7", "Ü": "KEY_LEFTBRACE", "_": "KEY_SLASH"}


def keys_for(layout, ch):
    """[(modifier or None, key)] for one character."""
    plain, shifted = (US_PLAIN, US_SHIFT) if layout == "us" else (DE_PLAIN, DE_SHIFT)
    if ch in plain:
        return None, plain[ch]
    if ch in shifted:
        return "KEY_LEFTSHIFT", shifted[ch]
    if ch.isdigit():
        return None, f"KEY_{ch}"
    if ch.isascii() and ch.isalpha():
        return ("KEY_LEFTSHIFT" if ch.isupper() else None), f"KEY_{ch.upper()}"
    raise SystemExit(f"uinput_keyboard: no key for {ch!r} on layout {layout}")


UI_SET_EVBIT, UI_SET_KEYBIT, UI_DEV_SETUP, UI_DEV_CREATE, UI_DEV_DESTROY = 0x40045564, 0x40045565, 0x405C5503, 0x5501, 0x5502
UI_GET_SYSNAME_64 = 0x8040552C
EV_SYN, EV_KEY = 0, 1

fd = os.open("/dev/uinput", os.O_WRONLY | os.O_NONBLOCK)
fcntl.ioctl(fd, UI_SET_EVBIT, EV_KEY)
for code in range(1, 128):
    fcntl.ioctl(fd, UI_SET_KEYBIT, code)
name = b"checkpoint-vm keyboard-wedge scanner"
fcntl.ioctl(fd, UI_DEV_SETUP, struct.pack("HHHH80sI", 0x03, 0x1209, 0x0002, 1, name, 0))
fcntl.ioctl(fd, UI_DEV_CREATE)
sysname = fcntl.ioctl(fd, UI_GET_SYSNAME_64, bytes(64)).split(b"\0")[0].decode()
folder = f"/sys/devices/virtual/input/{sysname}"
deadline = time.monotonic() + 10
node = None
while node is None and time.monotonic() < deadline:
    node = next((e for e in (os.listdir(folder) if os.path.isdir(folder) else []) if e.startswith("event")), None)
    if node is None:
        time.sleep(0.05)
    elif not os.path.exists(f"/dev/input/{node}"):
        node = None
        time.sleep(0.05)
if node is None:
    raise SystemExit("uinput_keyboard: no event node appeared")
print(f"/dev/input/{node}", flush=True)


def emit(code, value):
    os.write(fd, struct.pack("llHHi", 0, 0, EV_KEY, code, value) + struct.pack("llHHi", 0, 0, EV_SYN, 0, 0))
    time.sleep(0.004)   # a scanner's pace; the reader under emulation must keep up


def tap(key, modifier=None):
    if modifier:
        emit(CODES[modifier], 1)
    emit(CODES[key], 1)
    emit(CODES[key], 0)
    if modifier:
        emit(CODES[modifier], 0)


for line in sys.stdin:
    line = line.strip()
    if line == "quit":
        break
    for token in line.split(" "):
        if token.startswith(("us:", "de:")):
            for ch in token[3:]:
                modifier, key = keys_for(token[:2], ch)
                tap(key, modifier)
        elif token.startswith("+"):
            emit(CODES[token[1:]], 1)
        elif token.startswith("-"):
            emit(CODES[token[1:]], 0)
        elif token:
            tap(token)
    print("typed", flush=True)
fcntl.ioctl(fd, UI_DEV_DESTROY)
