#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A simulated SCPI instrument on a raw TCP socket, like an LXI instrument's port 5025.

    /usr/bin/python3 tests/peers/scpi_tcp.py --model dmm|psu [--port 0] [--host 127.0.0.1]
                                             [--terminator '\\n'] [--drop-after N]

Protocol: each command line ends with '\\n' (a '\\r' before it, or alone, also ends a line);
each reply ends with the terminator (default '\\n', escapes such as '\\r\\n' accepted). The
command set, including the SIM: fault-injection commands, is in scpi_engine.py.

Prints exactly one line on stdout, "READY <port>", once it accepts connections (--port 0, the
default, picks a free port); logs go to stderr. Any number of connections, at once or one after
another, each with its own line buffer; they share one instrument (settings, error queue and
injected faults), as a real instrument's sockets do. --drop-after N closes each connection
after its N-th reply, for reconnect tests. The listening socket has SO_REUSEADDR so that a test
can kill the peer and start it again on the same port at once. Exits 0 on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import re
import signal
import socket
import sys

from scpi_engine import DROP, ScpiInstrument, parse_terminator

LINE_END = re.compile(rb"[\r\n]")


def log(*args):
    print("scpi_tcp:", *args, file=sys.stderr, flush=True)


async def send(writer, reply):
    if reply.delay:
        await asyncio.sleep(reply.delay)
    pieces = reply.pieces()
    for i, piece in enumerate(pieces):
        if i:
            await asyncio.sleep(reply.split)
        writer.write(piece)
        await writer.drain()  # with TCP_NODELAY each piece leaves as its own segment


async def serve_connection(instrument, drop_after, reader, writer):
    peer = writer.get_extra_info("peername")
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    buffer, answered = b"", 0
    try:
        # Commands are handled one after another: a late reply delays the next command,
        # as on an instrument that parses its input in order.
        while chunk := await reader.read(65536):
            *lines, buffer = LINE_END.split(buffer + chunk)
            for line in lines:
                for action in instrument.handle(line.decode("utf-8", "replace")):
                    if action is DROP:
                        log(f"{peer}: SIM:DROP, closing")
                        return
                    await send(writer, action)
                    answered += 1
                    if drop_after and answered >= drop_after:
                        log(f"{peer}: {answered} replies, closing (--drop-after)")
                        return
    except (ConnectionError, OSError) as e:  # the client went away mid-reply
        log(f"{peer}: {e}")
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except (ConnectionError, OSError):
            pass


async def main(args):
    instrument = ScpiInstrument(args.model, parse_terminator(args.terminator))
    server = await asyncio.start_server(
        lambda r, w: serve_connection(instrument, args.drop_after, r, w),
        args.host, args.port, reuse_address=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    log(f"{args.model} on {args.host}:{port}")
    await stop.wait()
    server.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["dmm", "psu"], required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--terminator", default=r"\n")
    parser.add_argument("--drop-after", type=int, default=0, metavar="N")
    asyncio.run(main(parser.parse_args()))
