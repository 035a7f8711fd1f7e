#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A simulated SCPI instrument on a serial line (one end of a socat pty pair).

    /usr/bin/python3 tests/peers/scpi_serial.py --model dmm|psu --device PATH [--terminator '\\n']

Opens PATH (typically <dir>/ttyB of `socat pty,raw,echo=0,link=<dir>/ttyA
pty,raw,echo=0,link=<dir>/ttyB`, see serial_pair.py; the driver under test opens ttyA), puts it
in raw mode with termios, prints exactly one line "READY <PATH>" on stdout and answers commands
like scpi_tcp.py: lines end with '\\n' ('\\r' also ends one), replies with the terminator. The
command set and the SIM: fault commands are those of scpi_engine.py; SIM:DROP is ignored, a
serial line cannot be dropped. Commands are handled one at a time: a late reply (SIM:DELAY)
is a plain sleep. Exits 0 on SIGTERM/SIGINT, 1 when the pty goes away (socat ended).
"""
import argparse
import errno
import os
import re
import select
import signal
import sys
import time
import tty

from scpi_engine import DROP, ScpiInstrument, parse_terminator

LINE_END = re.compile(rb"[\r\n]")


def log(*args):
    print("scpi_serial:", *args, file=sys.stderr, flush=True)


def open_raw(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    tty.setraw(fd)
    return fd


def write_all(fd, data):
    while data:
        data = data[os.write(fd, data):]


def serve(fd, instrument, stopping=lambda: False):
    """Answer commands on fd until stopping() is true or the pty goes away (returns False)."""
    buffer = b""
    while not stopping():
        # A timeout, so that a thread running this loop notices stopping().
        if not select.select([fd], [], [], 0.2)[0]:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            chunk = b""  # EIO: the master side (socat) is closed
        if not chunk:
            log("pty closed")
            return False
        *lines, buffer = LINE_END.split(buffer + chunk)
        for line in lines:
            for action in instrument.handle(line.decode("utf-8", "replace")):
                if action is DROP:
                    continue
                time.sleep(action.delay)
                for i, piece in enumerate(action.pieces()):
                    if i:
                        time.sleep(action.split)
                    write_all(fd, piece)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["dmm", "psu"], required=True)
    parser.add_argument("--device", required=True)
    parser.add_argument("--terminator", default=r"\n")
    args = parser.parse_args()
    instrument = ScpiInstrument(args.model, parse_terminator(args.terminator))

    def on_signal(*_):
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    fd = open_raw(args.device)
    print(f"READY {args.device}", flush=True)
    log(f"{args.model} on {args.device}")
    try:
        sys.exit(0 if serve(fd, instrument) else 1)
    finally:
        os.close(fd)


if __name__ == "__main__":
    main()
