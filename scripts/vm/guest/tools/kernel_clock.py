#!/usr/bin/env python3
"""kernel_clock.py synced|unsynced: sets the kernel's NTP status as a time daemon does (adjtimex):
`synced` clears STA_UNSYNC and sets small maximum / estimated errors, `unsynced` sets STA_UNSYNC.
Prints the status word afterwards. Needs CAP_SYS_TIME."""
import ctypes
import sys


class Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class Timex(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
                ("constant", ctypes.c_long), ("precision", ctypes.c_long), ("tolerance", ctypes.c_long),
                ("time", Timeval), ("tick", ctypes.c_long), ("ppsfreq", ctypes.c_long), ("jitter", ctypes.c_long),
                ("shift", ctypes.c_int), ("stabil", ctypes.c_long), ("jitcnt", ctypes.c_long), ("calcnt", ctypes.c_long),
                ("errcnt", ctypes.c_long), ("stbcnt", ctypes.c_long), ("tai", ctypes.c_int), ("padding", ctypes.c_int * 11)]


ADJ_MAXERROR, ADJ_ESTERROR, ADJ_STATUS, STA_UNSYNC = 0x0004, 0x0008, 0x0010, 0x0040
libc = ctypes.CDLL(None, use_errno=True)
t = Timex()
t.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR
t.status = 0 if sys.argv[1] == "synced" else STA_UNSYNC
t.maxerror, t.esterror = (1000, 100) if sys.argv[1] == "synced" else (16_000_000, 16_000_000)
state = libc.adjtimex(ctypes.byref(t))
if state < 0:
    raise SystemExit(f"adjtimex: errno {ctypes.get_errno()}")
query = Timex()
state = libc.adjtimex(ctypes.byref(query))
print(f"state {state} status 0x{query.status:x}")
