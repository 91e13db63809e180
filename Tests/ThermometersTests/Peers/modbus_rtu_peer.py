#!/usr/bin/env python3
"""An independent Modbus RTU server (pymodbus 3.16) on a pseudo-terminal, for the Modbus tests.

Two os.openpty() pairs are bridged by copying between their masters (like socat's linked PTYs):
pymodbus serves on the second pair's slave; the program under test opens the first pair's slave,
whose path is printed as the first line of stdout ("PORT /dev/pts/N"). Runs until stdin closes.

    modbus_rtu_peer.py --device-id 1 --input 1=227 --holding 0=65436
"""
import argparse
import asyncio
import os
import sys
import tty

from pymodbus import FramerType
from pymodbus.server import ModbusSerialServer
from pymodbus.simulator import DataType, SimData, SimDevice


def register_map(items):
    """'address=value' strings → sorted [(address, value)]."""
    out = {}
    for item in items:
        address, value = item.split("=", 1)
        out[int(address, 0)] = int(value, 0) & 0xFFFF
    return sorted(out.items())


def sim_data(pairs):
    """Register blocks; pymodbus wants every block non-empty, so an unused map gets one far away."""
    pairs = pairs or [(9999, 0)]
    return [SimData(address, values=[value], datatype=DataType.REGISTERS) for address, value in pairs]


def unused_bits():
    return [SimData(9999, values=[0], datatype=DataType.BITS)]


def raw_pty():
    master, slave = os.openpty()
    tty.setraw(slave)
    tty.setraw(master)
    os.set_blocking(master, False)
    return master, slave


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device-id", type=int, default=1)
    parser.add_argument("--input", action="append", default=[], help="input register address=value")
    parser.add_argument("--holding", action="append", default=[], help="holding register address=value")
    parser.add_argument("--baudrate", type=int, default=9600)
    args = parser.parse_args()

    outer_master, outer_slave = raw_pty()   # the program under test opens outer_slave
    inner_master, inner_slave = raw_pty()   # pymodbus opens inner_slave

    loop = asyncio.get_running_loop()

    def pump(source, destination):
        try:
            data = os.read(source, 4096)
        except (BlockingIOError, OSError):
            return
        if data:
            os.write(destination, data)

    loop.add_reader(outer_master, pump, outer_master, inner_master)
    loop.add_reader(inner_master, pump, inner_master, outer_master)

    device = SimDevice(id=args.device_id,
                       simdata=(unused_bits(), unused_bits(), sim_data(register_map(args.holding)), sim_data(register_map(args.input))))
    server = ModbusSerialServer(device, framer=FramerType.RTU, port=os.ttyname(inner_slave), baudrate=args.baudrate)
    serving = asyncio.create_task(server.serve_forever())

    print("PORT " + os.ttyname(outer_slave), flush=True)
    # Run until the test closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    await server.shutdown()
    serving.cancel()


if __name__ == "__main__":
    asyncio.run(main())
