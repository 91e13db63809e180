#!/usr/bin/env python3
"""People at a gate, as the devices see them: an independent peer for checkpointd's field tests.

Written from the devices' documentation, not from checkpoint's code:
- an LU90614 infrared module (9600 8N1): the measure request FA CA C4 is answered with
  FE <mode> <int> <hundredths> 00 00 00 00 <low byte of the sum of bytes 0-7> -- the temperature of
  whoever stands in front of it, or the air when nobody does; mode is AC (body) or AA (object), as
  last selected with FA C5 BF / FA C6 C0 (the module keeps it); mode commands get no answer;
- a serial QR scanner sending "]Q1" + payload + CR for every code shown.

Each device is a pseudo-terminal whose slave is linked at DIR/thermo and DIR/scanner. The peer keeps
the slave side open itself, so bytes written while the gate is down wait in the tty's input buffer,
as they do on a real line.

Commands (one per line on stdin) -> replies / events (one per line on stdout):
  stand C          a person with C degC steps in front of the thermometer   -> ok
  leave            nobody there (the air, AMBIENT degC)                     -> ok
  scan CODE        the scanner sends ]Q1CODE CR                             -> ok
  raw HEX          the scanner sends these bytes                            -> ok
  reply C          the thermometer sends an unsolicited reply for C degC    -> ok
  unplug thermo    the thermometer's line hangs up, its link is removed     -> ok
  replug thermo    a new line appears under the same link                   -> ok
  quit
Events: "ready THERMO SCANNER", and "measured C N" after the N-th request answered with C.
"""
import os
import select
import sys
import tty

AMBIENT = 24.0


def lu90614_reply(celsius, mode=0xAC):
    hundredths = max(0, min(int(round(celsius * 100)), 255 * 100 + 99))
    frame = [0xFE, mode, hundredths // 100, hundredths % 100, 0, 0, 0, 0]
    return bytes(frame + [sum(frame) & 0xFF])


class LU90614:
    """The module's side of the protocol: the bytes the gate writes in, the replies out. Keeps the
    mode the gate last selected and a command cut between two reads."""

    def __init__(self):
        self.mode = 0xAC
        self.pending = b""

    def feed(self, data, celsius):
        """The replies to the measure requests in `data`, each for `celsius` degC (mode commands
        and bytes before an FA get none)."""
        self.pending += data
        replies = []
        while len(self.pending) >= 3:
            start = self.pending.find(b"\xFA")
            if start < 0:
                self.pending = b""
                break
            self.pending = self.pending[start:]
            if len(self.pending) < 3:
                break
            command, self.pending = self.pending[:3], self.pending[3:]
            if command == b"\xFA\xC5\xBF":
                self.mode = 0xAC
            elif command == b"\xFA\xC6\xC0":
                self.mode = 0xAA
            elif command == b"\xFA\xCA\xC4":
                replies.append(lu90614_reply(celsius, self.mode))
        return replies


class Line:
    """One pseudo-terminal: the peer writes and reads the master; the gate opens the linked slave."""

    def __init__(self, link):
        self.link = link
        self.master, self.slave = os.openpty()
        tty.setraw(self.master)
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(os.ttyname(self.slave), link)

    def close(self):
        os.unlink(self.link)
        os.close(self.master)
        os.close(self.slave)


def main():
    directory = sys.argv[1]
    thermo = Line(os.path.join(directory, "thermo"))
    scanner = Line(os.path.join(directory, "scanner"))
    standing = None
    answered = 0
    module = LU90614()

    def say(text):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()

    say("ready %s %s" % (thermo.link, scanner.link))
    stdin = sys.stdin.fileno()
    buffered = b""
    while True:
        watched = [stdin, scanner.master] + ([thermo.master] if thermo else [])
        readable, _, _ = select.select(watched, [], [])
        if thermo and thermo.master in readable:
            try:
                data = os.read(thermo.master, 256)
            except OSError:
                data, module.pending = b"", b""
            celsius = standing if standing is not None else AMBIENT
            for reply in module.feed(data, celsius):
                os.write(thermo.master, reply)
                answered += 1
                say("measured %.2f %d" % (celsius, answered))
        if scanner.master in readable:
            try:
                os.read(scanner.master, 256)  # configuration commands: not answered
            except OSError:
                pass
        if stdin in readable:
            chunk = os.read(stdin, 4096)
            if not chunk:
                return
            buffered += chunk
            while b"\n" in buffered:
                raw, buffered = buffered.split(b"\n", 1)
                words = raw.decode().split(" ", 1)
                verb, arg = words[0], (words[1] if len(words) > 1 else "")
                if verb == "stand":
                    standing = float(arg)
                elif verb == "leave":
                    standing = None
                elif verb == "scan":
                    os.write(scanner.master, b"]Q1" + arg.encode() + b"\r")
                elif verb == "raw":
                    os.write(scanner.master, bytes.fromhex(arg))
                elif verb == "reply":
                    os.write(thermo.master, lu90614_reply(float(arg), module.mode))
                elif verb == "unplug" and thermo:
                    thermo.close()
                    thermo = None
                    module.pending = b""
                elif verb == "replug" and not thermo:
                    thermo = Line(os.path.join(directory, "thermo"))
                elif verb == "quit":
                    return
                say("ok")


if __name__ == "__main__":
    main()
