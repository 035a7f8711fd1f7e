#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A Modbus TCP server with a fixed register map, for the Modbus driver's tests.

    /usr/bin/python3 tests/peers/modbus_server.py [--port 0] [--host 127.0.0.1]

The server is pymodbus's (Debian's python3-pymodbus 3.0), not ours; this script only fills its
data store. Prints exactly one line on stdout, "READY <port>", once it accepts connections
(--port 0, the default, picks a free port); pymodbus logs WARNING and above to stderr. The
listening socket has SO_REUSEADDR, so a test can kill it and restart it on the same port at
once. Exits 0 on SIGTERM/SIGINT. Any unit id is answered (a single slave context).

Register map, wire addresses from 0; multi-register values are "big" (high word first) unless
marked "little" (low word first); each word is big-endian on the wire, as Modbus requires:

  Holding registers, 100 (HR0..HR99), all 0 and writable unless listed:
    HR0 = 1000, HR1 = 1001, HR2 = 1002
    HR10..11  float32 21.5, big        (0x41AC, 0x0000)
    HR12..13  float32 21.5, little     (0x0000, 0x41AC)
    HR20      int16 -1234              (0xFB2E)
    HR21..22  int32 -123456, big       (0xFFFE, 0x1DC0)
    HR23..24  uint32 3000000000, big   (0xB2D0, 0x5E00)
    HR30      0, a setpoint the tests write and read back
    HR40..41  float32 0.0, big, a setpoint the tests write and read back
  Input registers, 100 (IR0..IR99), all 0 unless listed:
    IR0 = 250 (25.0 with scale 0.1), IR1 = 65535, IR2..3 float32 3.25, big (0x4050, 0x0000)
  Coils, 16: all off except coil 1.   Discrete inputs, 16: DI0 on, DI1 off, DI2 on, rest off.
Reading or writing past these sizes answers exception 2 (illegal data address).
"""
import argparse
import asyncio
import logging
import signal
import struct
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncTcpServer


def words(fmt, value, little=False):
    """A value packed big-endian as 16-bit words, high word first unless little."""
    raw = struct.pack(">" + fmt, value)
    result = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
    return result[::-1] if little else result


def register_map():
    hr = [0] * 100
    hr[0:3] = [1000, 1001, 1002]
    hr[10:12] = words("f", 21.5)
    hr[12:14] = words("f", 21.5, little=True)
    hr[20:21] = words("h", -1234)
    hr[21:23] = words("i", -123456)
    hr[23:25] = words("I", 3000000000)
    hr[40:42] = words("f", 0.0)
    ir = [0] * 100
    ir[0:2] = [250, 65535]
    ir[2:4] = words("f", 3.25)
    co = [False] * 16
    co[1] = True
    di = [False] * 16
    di[0:3] = [True, False, True]
    block = lambda values: ModbusSequentialDataBlock(0, values)  # noqa: E731
    # zero_mode=True: wire address N is block index N (without it pymodbus adds 1).
    store = ModbusSlaveContext(di=block(di), co=block(co), hr=block(hr), ir=block(ir),
                               zero_mode=True)
    return ModbusServerContext(slaves=store, single=True)


class QuietDisconnects(logging.Filter):
    """pymodbus 3.0 logs an ERROR "Handler for stream [...] has been canceled" each time a
    client disconnects; that is normal operation, not an error worth a test log line."""

    def filter(self, record):
        return "has been canceled" not in record.getMessage()


async def main(args):
    # defer_start=True makes StartAsyncTcpServer return the server instead of running it
    # forever; serve_forever() then binds and sets the future `serving`.
    server = await StartAsyncTcpServer(context=register_map(), address=(args.host, args.port),
                                       allow_reuse_address=True, defer_start=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    port = server.server.sockets[0].getsockname()[1]  # the real one when --port 0
    print(f"READY {port}", flush=True)
    print(f"modbus_server: on {args.host}:{port}", file=sys.stderr, flush=True)
    await stop.wait()
    await server.shutdown()
    task.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    # Importing pymodbus already ran logging.basicConfig (pymodbus/constants.py: stderr,
    # WARNING), hence force=True to set ours; the filter sits on the handler because logger
    # filters do not see the records of child loggers such as pymodbus.server.async_io.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, force=True,
                        format="modbus_server: %(levelname)s %(name)s: %(message)s")
    logging.getLogger().handlers[0].addFilter(QuietDisconnects())
    asyncio.run(main(parser.parse_args()))
