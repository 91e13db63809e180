#!/usr/bin/env python3
"""lu90614_peer.py TTY CELSIUS: an LU90614 infrared module on the device side of a USB serial link
(the gadget's /dev/ttyGS0), written from the module's protocol description: 9600 8N1; the measure
request FA CA C4 is answered with FE <AC body | AA object> <int> <hundredths> 00 00 00 00 <low byte
of the sum of bytes 0-7>; FA C5 BF / FA C6 C0 select body / object mode and get no answer.
Prints `measured N` after every answer. Runs until killed; a hangup (unplug) ends it."""
import os
import sys
import termios
import tty

path, celsius = sys.argv[1], float(sys.argv[2])
fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
attrs = termios.tcgetattr(fd)
attrs[4] = attrs[5] = termios.B9600
termios.tcsetattr(fd, termios.TCSANOW, attrs)
mode, command, answered = 0xAC, bytearray(), 0
while True:
    try:
        chunk = os.read(fd, 64)
    except OSError:
        break
    if not chunk:
        break
    for byte in chunk:
        if not command and byte != 0xFA:
            continue   # between commands: wait for the next FA
        command.append(byte)
        if len(command) < 3:
            continue
        if command == b"\xFA\xC5\xBF":
            mode = 0xAC
        elif command == b"\xFA\xC6\xC0":
            mode = 0xAA
        elif command == b"\xFA\xCA\xC4":
            hundredths = int(round(celsius * 100))
            frame = [0xFE, mode, hundredths // 100, hundredths % 100, 0, 0, 0, 0]
            os.write(fd, bytes(frame + [sum(frame) & 0xFF]))
            answered += 1
            print(f"measured {answered}", flush=True)
        command.clear()
