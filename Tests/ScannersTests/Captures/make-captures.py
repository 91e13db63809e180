#!/usr/bin/env python3
"""Generates the recorded scanner streams in this folder (committed; re-run to regenerate).

An independent producer of what the devices send, written without the Swift encoders:
- *.evdev   Linux `struct input_event` records, 24 bytes each, little-endian (timeval sec, usec,
            type u16, code u16, value s32), as read from /dev/input/eventN of a keyboard-wedge
            scanner: EV_MSC scan codes, EV_KEY press/release (and one autorepeat), EV_SYN.
- *.hidraw  64-byte HID POS input reports, as read from /dev/hidrawN (Honeywell / Newland layout).
- *.serial  serial bytes: [AIM id][data][suffix].
- equivalence.json  the codes all three equivalence streams carry.
"""
import json, struct, os

HERE = os.path.dirname(os.path.abspath(__file__))
EV_SYN, EV_KEY, EV_MSC = 0, 1, 4

US = {}
for i, (a, b) in enumerate(zip("1234567890-=", "!@#$%^&*()_+")):
    US[a] = (2 + i, False); US[b] = (2 + i, True)
for row, start in (("qwertyuiop", 16), ("asdfghjkl", 30), ("zxcvbnm", 44)):
    for i, ch in enumerate(row):
        US[ch] = (start + i, False); US[ch.upper()] = (start + i, True)
for ch, sh, code in (("[", "{", 26), ("]", "}", 27), (";", ":", 39), ("'", '"', 40), ("`", "~", 41),
                     ("\\", "|", 43), (",", "<", 51), (".", ">", 52), ("/", "?", 53), (" ", " ", 57)):
    US[ch] = (code, False)
    if sh != ch: US[sh] = (code, True)

KP = {0: 82, 1: 79, 2: 80, 3: 81, 4: 75, 5: 76, 6: 77, 7: 71, 8: 72, 9: 73}
LSHIFT, LALT, ENTER, CAPS = 42, 56, 28, 58
AIM = {"qr": "]Q1", "ean13": "]E0", "gs1_128": "]C1", "code128": "]C0", "dataMatrix": "]d1"}
HONEYWELL_CODE_ID = {"qr": "s", "ean13": "d", "gs1_128": "I", "code128": "j", "dataMatrix": "w"}


class Keyboard:
    def __init__(self, t0=1_700_000_000.0, step=0.003):
        self.t, self.step, self.out = t0, step, bytearray()

    def ev(self, typ, code, value):
        sec = int(self.t); usec = int(round((self.t - sec) * 1e6))
        self.out += struct.pack("<qqHHi", sec, usec, typ, code, value)

    def key(self, code, value):
        self.ev(EV_MSC, 4, 0x70000 + code)  # MSC_SCAN, as real HID keyboards report
        self.ev(EV_KEY, code, value)
        self.ev(EV_SYN, 0, 0)
        self.t += self.step

    def tap(self, code):
        self.key(code, 1); self.key(code, 0)

    def type_us(self, text):
        for ch in text:
            code, shift = US[ch]
            if shift: self.key(LSHIFT, 1)
            self.tap(code)
            if shift: self.key(LSHIFT, 0)

    def alt(self, digits):
        self.key(LALT, 1)
        for d in digits: self.tap(KP[int(d)])
        self.key(LALT, 0)

    def enter(self):
        self.tap(ENTER); self.t += 0.8


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# 1. Shifted symbols, caps lock and one autorepeat, US layout, Enter-terminated.
k = Keyboard()
k.type_us("]Q1Id:AB-12_{x}!@#$%^&*()+|~<>?\"")
k.enter()
k.tap(CAPS); k.type_us("caps"); k.key(LSHIFT, 1); k.tap(US["x"][0]); k.key(LSHIFT, 0); k.tap(CAPS); k.type_us("-9")
k.enter()
k.type_us("]Q1rep"); k.key(US["p"][0], 1); k.key(US["p"][0], 2); k.key(US["p"][0], 0)
k.enter()
write("wedge-us-shifted.evdev", k.out)

# 2. Alt + keypad: Windows convention (Alt+0nnn CP1252, Alt+nnn CP437) and GBK codes.
k = Keyboard()
k.type_us("]Q1M"); k.alt("0252"); k.type_us("ller-"); k.alt("130"); k.type_us("t"); k.alt("130")
k.enter()
write("wedge-altcodes-windows.evdev", k.out)
k = Keyboard()
zhang = "张三".encode("gbk")
k.type_us("]Q1")
for i in range(0, len(zhang), 2):
    k.alt(str(zhang[i] << 8 | zhang[i + 1]))
k.enter()
write("wedge-altcodes-gbk.evdev", k.out)


def honeywell_reports(text, sym):
    data = text.encode("utf-8")
    chunks = [data[i:i + 56] for i in range(0, len(data), 56)] or [b""]
    out = bytearray()
    for n, chunk in enumerate(chunks):
        r = bytearray(64)
        r[0] = 0x02; r[1] = len(chunk)
        r[2:5] = AIM[sym].encode()
        r[5:5 + len(chunk)] = chunk
        r[61] = ord(HONEYWELL_CODE_ID[sym])
        r[63] = 1 if n < len(chunks) - 1 else 0
        out += r
    return out


def newland_report(text, code_id):
    data = text.encode("utf-8")
    r = bytearray(64)
    r[0] = 0x02; r[1] = len(data); r[2:2 + len(data)] = data; r[62] = ord(code_id)
    return r


# 3. Honeywell HID POS: a 150-byte QR payload in three packets, then a one-packet EAN-13.
long_text = "https://health.example.cn/pass?id=" + "".join("%02d" % (i % 100) for i in range(58))
write("hidpos-honeywell-multipacket.hidraw", honeywell_reports(long_text, "qr") + honeywell_reports("6901234567892", "ean13"))
with open(os.path.join(HERE, "hidpos-honeywell-multipacket.json"), "w") as f:
    json.dump([{"text": long_text, "symbology": "qr"}, {"text": "6901234567892", "symbology": "ean13"}], f, indent=1)

# 4. Newland HID POS: code id at [62].
write("hidpos-newland.hidraw", newland_report("NL-QR-0001", "Q") + newland_report("6901234567892", "d"))

# 5. Serial GBK scanner: [AIM][GBK data][CR LF].
gbk_codes = ["姓名:张三;健康码:绿码", "体温正常,请通行"]
write("serial-gbk.serial", b"".join(b"]Q1" + c.encode("gbk") + b"\r\n" for c in gbk_codes))
with open(os.path.join(HERE, "serial-gbk.json"), "w") as f:
    json.dump(gbk_codes, f, ensure_ascii=False, indent=1)

# 6. Equivalence: the same codes through the three transports.
codes = [("HZ-2020-000123", "qr"), ("6901234567892", "ean13"), ("0109501101530008", "gs1_128"),
         ("resident:4401; gate=North-2", "qr"), ("x" * 120, "qr")]
k = Keyboard()
for text, sym in codes:
    k.type_us(AIM[sym] + text); k.enter()
write("equivalence.evdev", k.out)
write("equivalence.hidraw", b"".join(honeywell_reports(t, s) for t, s in codes))
write("equivalence.serial", b"".join(AIM[s].encode() + t.encode() + b"\r" for t, s in codes))
with open(os.path.join(HERE, "equivalence.json"), "w") as f:
    json.dump([{"text": t, "symbology": s} for t, s in codes], f, indent=1)
