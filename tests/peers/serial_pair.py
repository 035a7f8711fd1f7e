#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A virtual serial cable for tests: a socat pty pair, and optionally an instrument on one end.

    /usr/bin/python3 tests/peers/serial_pair.py DIR [--responder dmm|psu] [--terminator '\\n']

Runs `socat -d -d pty,raw,echo=0,link=DIR/ttyA pty,raw,echo=0,link=DIR/ttyB` (DIR is created
if missing); what is written to one end is read from the other. With --responder, the SCPI
instrument of scpi_serial.py also answers on DIR/ttyB, in a thread of this process, so a test
needs one subprocess: it opens DIR/ttyA and talks to the instrument.

Prints exactly one line on stdout, "READY DIR", once both links point at socat's ptys (and
the responder has opened ttyB); logs, socat's included, go to stderr. On SIGTERM/SIGINT it
stops socat (which removes the links) and exits 0; if it is killed outright, socat still ends,
through PR_SET_PDEATHSIG. Exits 1 if socat fails or ends by itself.
"""
import argparse
import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
import time

import scpi_serial
from scpi_engine import ScpiInstrument, parse_terminator

PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: the child only calls prctl


def log(*args):
    print("serial_pair:", *args, file=sys.stderr, flush=True)


def start_socat(link_a, link_b):
    parent = os.getpid()

    def die_with_parent():  # runs in the child between fork and exec
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return subprocess.Popen(
        ["socat", "-d", "-d", f"pty,raw,echo=0,link={link_a}", f"pty,raw,echo=0,link={link_b}"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=die_with_parent)


def wait_for_ptys(socat, links, timeout=20.0):
    """Read socat's "N PTY is /dev/pts/X" lines, then wait until each link points at its pty
    (a link left by an earlier, killed run may still exist and point elsewhere)."""
    ptys = []
    while len(ptys) < 2:
        line = socat.stderr.readline().decode(errors="replace")
        if not line:
            raise RuntimeError(f"socat ended (status {socat.wait()})")
        sys.stderr.write(line)
        if m := re.search(r" PTY is (\S+)", line):
            ptys.append(m.group(1))
    deadline = time.monotonic() + timeout
    while any(os.path.realpath(link) != pty for link, pty in zip(links, ptys)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"links {links} do not point at {ptys}")
        time.sleep(0.01)


def forward_stderr(socat):
    for line in socat.stderr:  # keep the pipe drained so socat never blocks on its log
        sys.stderr.write(line.decode(errors="replace"))
        sys.stderr.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--responder", choices=["dmm", "psu"])
    parser.add_argument("--terminator", default=r"\n")
    args = parser.parse_args()

    def on_signal(*_):
        sys.exit(0)  # unwinds main() through the finally below

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    os.makedirs(args.dir, exist_ok=True)
    links = [os.path.join(args.dir, "ttyA"), os.path.join(args.dir, "ttyB")]
    socat = start_socat(*links)
    try:
        wait_for_ptys(socat, links)
        threading.Thread(target=forward_stderr, args=(socat,), daemon=True).start()
        if args.responder:
            instrument = ScpiInstrument(args.responder, parse_terminator(args.terminator))
            fd = scpi_serial.open_raw(links[1])
            threading.Thread(target=scpi_serial.serve, args=(fd, instrument), daemon=True).start()
        print(f"READY {args.dir}", flush=True)
        log(f"socat {socat.pid}: {links[0]} <-> {links[1]}"
            + (f", {args.responder} answering on ttyB" if args.responder else ""))
        status = socat.wait()
        log(f"socat ended by itself (status {status})")
        sys.exit(1)
    except RuntimeError as e:
        log(e)
        sys.exit(1)
    finally:
        if socat.poll() is None:
            socat.terminate()
            try:
                socat.wait(5)
            except subprocess.TimeoutExpired:
                socat.kill()
                socat.wait()


if __name__ == "__main__":
    main()
