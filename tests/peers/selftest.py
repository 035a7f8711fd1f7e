#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Self-check of the test peers: starts each one as a subprocess, as the C++ tests do, talks to
it with plain sockets, the pty and pymodbus's client, and checks what tests/peers/README.md
promises.

    /usr/bin/python3 tests/peers/selftest.py [-v]

Exits 0 when all holds, 1 with the first failed check and the peers' stderr otherwise. Uses
no fixed port (--port 0 and the READY lines) and lower bounds only on timings, so that it
holds on a busy machine. Everything it starts is stopped, and it checks with ps that no peer
or socat is left behind.
"""
import ctypes
import math
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import tty

PY = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 15.0  # for anything that should come: generous, the machine may be busy
QUIET = 0.5  # how long "nothing arrives" is watched
DMM_IDN = b"BENCHTOP,SIM-DMM34401,DMM0001,1.2.3"
PSU_IDN = b"BENCHTOP,SIM-PSU3303,PSU0001,2.0.1"
GARBLED = b"\xff\xfe\x80garbage"
VERBOSE = "-v" in sys.argv
_libc = ctypes.CDLL(None)


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)
    if VERBOSE:
        print(f"  ok: {what}", file=sys.stderr)


def step(name):
    if VERBOSE:
        print(f"- {name}", file=sys.stderr)


# --- peers ------------------------------------------------------------------------------------
class Peer:
    """A peer subprocess; its stderr goes to a temporary file shown when a check fails."""
    started = []  # every Peer, for the final clean-up and the orphan check

    def __init__(self, script, *args):
        self.name = f"{script} {' '.join(args)}"
        self.log = tempfile.TemporaryFile()
        parent = os.getpid()

        def die_with_parent():  # so that a killed selftest leaves no peer behind
            _libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
            if os.getppid() != parent:
                os._exit(1)

        self.proc = subprocess.Popen([PY, os.path.join(HERE, script), *args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self.log, preexec_fn=die_with_parent)
        Peer.started.append(self)
        self.ready = self._read_ready()

    def _read_ready(self):
        line, deadline = b"", time.monotonic() + 30  # ~0.1 s when idle; be generous
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                raise Failure(f"{self.name}: no READY line within 30 s")
            byte = os.read(self.proc.stdout.fileno(), 1)
            if not byte:
                raise Failure(f"{self.name}: exited ({self.proc.wait()}) before READY")
            line += byte
        m = re.fullmatch(rb"READY (\S+)\n", line)
        check(m, f"{self.name}: first stdout line is READY <x> ({line!r})")
        return m.group(1).decode()

    def stop(self, sig=signal.SIGTERM):
        """Signal, wait, and check the exit status and that nothing followed READY on stdout."""
        self.proc.send_signal(sig)
        try:
            status = self.proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure(f"{self.name}: still running {TIMEOUT} s after signal {sig}")
        rest = self.proc.stdout.read()
        check(rest == b"", f"{self.name}: nothing on stdout after READY ({rest[:80]!r})")
        if sig == signal.SIGTERM:
            check(status == 0, f"{self.name}: exit status 0 on SIGTERM (got {status})")

    def stderr_tail(self):
        self.log.seek(0)
        return self.log.read()[-2000:].decode(errors="replace")


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def alive(pid):
    """Running, not a zombie waiting to be reaped (PID 1 of a container may not reap)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid, what):
    deadline = time.monotonic() + TIMEOUT
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    check(not alive(pid), f"{what} (pid {pid}) has ended")


# --- line clients -----------------------------------------------------------------------------
class LineClient:
    """Commands out, replies in, over a socket or a pty; replies are kept as bytes."""

    def __init__(self, term=b"\n"):
        self.term, self.buf = term, b""
        self.replies = 0  # complete replies read

    def recv_some(self, timeout):
        """What arrives within timeout: bytes, b"" at end of stream, None if nothing came."""
        raise NotImplementedError

    def send(self, *lines):
        self._send(b"".join(line.encode() + b"\n" for line in lines))

    def readline(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while self.term not in self.buf:
            chunk = self.recv_some(max(0.0, deadline - time.monotonic()))
            if not chunk:
                raise Failure(f"no complete reply (have {self.buf[:80]!r}, "
                              f"{'end of stream' if chunk == b'' else 'timeout'})")
            self.buf += chunk
        line, self.buf = self.buf.split(self.term, 1)
        self.replies += 1
        return line

    def query(self, line):
        self.send(line)
        return self.readline().decode()

    def quiet(self, wait=QUIET):
        """Nothing arrives for `wait` seconds."""
        chunk = self.recv_some(wait)
        if chunk:
            self.buf += chunk
        return not chunk and not self.buf


class TcpClient(LineClient):
    def __init__(self, port, term=b"\n"):
        super().__init__(term)
        self.sock = socket.create_connection(("127.0.0.1", int(port)), timeout=TIMEOUT)

    def _send(self, data):
        self.sock.sendall(data)

    def recv_some(self, timeout):
        if not select.select([self.sock], [], [], timeout)[0]:
            return None
        try:
            return self.sock.recv(65536)
        except ConnectionResetError:
            return b""

    def close(self):
        self.sock.close()


class PtyClient(LineClient):
    def __init__(self, path, term=b"\n"):
        super().__init__(term)
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)

    def _send(self, data):
        while data:
            data = data[os.write(self.fd, data):]

    def recv_some(self, timeout):
        if not select.select([self.fd], [], [], timeout)[0]:
            return None
        return os.read(self.fd, 65536)

    def close(self):
        os.close(self.fd)


# --- SCPI checks --------------------------------------------------------------------------------
def near(text, value):
    return re.fullmatch(r"[+-]\d\.\d{8}E[+-]\d\d", text) and math.isclose(float(text), value)


def check_errors(c, *expected):
    for entry in expected + ('+0,"No error"',):
        got = c.query("SYST:ERR?")
        check(got == entry, f"SYST:ERR? gives {entry} (got {got})")


def check_dmm(c):
    step("dmm: identity, measurements, error queue")
    check(c.query("*IDN?").encode() == DMM_IDN, "*IDN? of the dmm")
    check(c.query("MEAS:VOLT:DC?") == "+1.23450000E+00", "MEAS:VOLT:DC? = 1.2345 in NR3")
    check(near(c.query(":measure:voltage?"), 1.2345), "long, lower-case form with a root colon")
    check(near(c.query("READ?"), 1.2345), "READ? = volts DC")
    check(near(c.query("MEAS:CURR:DC?"), 0.012), "MEAS:CURR:DC? = 0.012")
    check(near(c.query("MEASure:RESistance?"), 1000.0), "MEAS:RES? = 1000")
    check(c.query("*OPC?") == "1", "*OPC? = 1")
    c.send("FOO:BAR?", "VOLT 5", "*WAI", "*RST")
    check(c.quiet(), "an unknown query gets no reply")
    check_errors(c, '-113,"Undefined header"', '-113,"Undefined header"')
    c.send("BOGUS", 'SIM:ERR -200,"Execution error"', "*IDN? now")
    check(c.query("SYSTEM:ERROR?") == '-113,"Undefined header"', "SYSTEM:ERROR? long form")
    check(c.query("syst:err:next?") == '-200,"Execution error"', "SIM:ERR pushed an entry")
    check(c.query("SYST:ERR?") == '-108,"Parameter not allowed"', "argument to a query: -108")
    c.send("BOGUS", "*CLS")
    check_errors(c)  # *CLS emptied the queue
    check(c.query("*OPC?;MEAS:RES?") == "1;+1.00000000E+03", "two queries on one line")
    c.send("SIM:SET volt_dc -0.5", "SIM:SET curr_dc 2e-3")
    check(near(c.query("MEAS:VOLT?"), -0.5), "SIM:SET volt_dc changes the measurement")
    check(near(c.query("MEAS:CURR?"), 0.002), "SIM:SET curr_dc changes the measurement")
    c.send("SIM:SET nothing 1", "SIM:SET volt_dc")
    check_errors(c, '-224,"Illegal parameter value"', '-109,"Missing parameter"')
    c.send("SIM:SET volt_dc 1.2345", "SIM:SET curr_dc 0.012")


def check_psu(c):
    step("psu: setpoints, output, measurements, range errors")
    check(c.query("*IDN?").encode() == PSU_IDN, "*IDN? of the psu")
    c.send("*RST", "VOLT 12", "CURRent 0.5")
    check(c.query("VOLT?") == "+1.20000000E+01", "VOLT 12 -> VOLT? +1.2E+01")
    check(near(c.query("CURR?"), 0.5), "CURR 0.5 -> CURR? 0.5")
    check(c.query("OUTP?") == "0", "output off after *RST")
    check(near(c.query("MEAS:VOLT?"), 0) and near(c.query("MEAS:CURR?"), 0), "off measures 0")
    c.send("OUTPut ON")
    check(c.query("OUTPut:STATe?") == "1", "OUTP ON -> 1")
    check(near(c.query("MEAS:VOLT?"), 12), "on: MEAS:VOLT? = setpoint")
    check(near(c.query("MEAS:CURR?"), 0.5), "MEAS:CURR? capped by CURR (12 V / 10 ohm > 0.5 A)")
    c.send("CURR 2")
    check(near(c.query("MEAS:CURR?"), 1.2), "MEAS:CURR? = 12 V / 10 ohm")
    c.send("SIM:SET load_ohms 4")
    check(near(c.query("MEAS:CURR?"), 2.0), "load 4 ohm: 3 A capped at 2 A")
    c.send("SIM:SET load_ohms 10", "VOLT 31", "CURR 5.5", "VOLT -1", "OUTP MAYBE", "VOLT",
           "VOLT abc")
    check(near(c.query("VOLT?"), 12) and near(c.query("CURR?"), 2), "bad values kept the old")
    check(c.query("OUTP?") == "1", "bad OUTP kept the output on")
    check_errors(c, *['-222,"Data out of range"'] * 3, '-224,"Illegal parameter value"',
                 '-109,"Missing parameter"', '-104,"Data type error"')
    c.send("OUTP 0", "VOLTage MAX")
    check(c.query("OUTP?") == "0" and near(c.query("VOLT?"), 30), "OUTP 0, VOLT MAX")
    c.send("*RST")
    check(near(c.query("VOLT?"), 0) and c.query("OUTP?") == "0", "*RST: 0 V, output off")


def check_faults(c, term=b"\n"):
    step("SIM: fault commands")
    c.send("SIM:DELAY 300", "*IDN?")
    t0 = time.monotonic()
    c.readline()
    check(time.monotonic() - t0 >= 0.27, "SIM:DELAY 300: the reply is >= 300 ms late")
    c.send("SIM:DELAY 0")

    c.send("SIM:SPLIT 300", "*IDN?")
    arrivals, data = [], b""
    while not data.endswith(term):
        chunk = c.recv_some(TIMEOUT)
        check(chunk, "SIM:SPLIT: the pieces come")
        arrivals.append(time.monotonic())
        data += chunk
    check(data == DMM_IDN + term, "SIM:SPLIT: the pieces make the reply")
    check(len(arrivals) >= 2 and arrivals[-1] - arrivals[0] >= 0.27,
          f"SIM:SPLIT 300: the reply comes in pieces 300 ms apart ({len(arrivals)} reads)")
    c.send("SIM:SPLIT 0")

    c.send("SIM:GARBLE", "*IDN?", "*IDN?")
    check(c.readline() == GARBLED, "SIM:GARBLE: invalid UTF-8 then the terminator")
    check(c.readline() == DMM_IDN, "SIM:GARBLE acts once")

    c.send("SIM:NOTERM", "*IDN?")
    deadline = time.monotonic() + TIMEOUT
    while len(c.buf) < len(DMM_IDN) and time.monotonic() < deadline:
        c.buf += c.recv_some(TIMEOUT) or b""
    check(c.buf == DMM_IDN, "SIM:NOTERM: the reply comes")
    check(c.recv_some(QUIET) is None, "SIM:NOTERM: ... and no terminator follows")
    check(c.query("*OPC?") == DMM_IDN.decode() + "1", "SIM:NOTERM acts once")

    c.send("SIM:LONG 100000", "*IDN?", "*OPC?")
    check(c.readline() == b"A" * 100000, "SIM:LONG 100000: 100000 x 'A' + terminator")
    check(c.readline() == b"1", "SIM:LONG acts once")

    c.send("SIM:SILENT", "*IDN?", "*OPC?")
    check(c.readline() == b"1", "SIM:SILENT: the next query has no reply, the one after has")
    check(c.quiet(), "SIM:SILENT: nothing else comes")


def check_scpi_tcp():
    step("scpi_tcp.py --model dmm")
    dmm = Peer("scpi_tcp.py", "--model", "dmm")
    port = dmm.ready
    c = TcpClient(port)
    check_dmm(c)
    check_faults(c)

    step("connections share the instrument; SIM:DROP")
    other = TcpClient(port)
    c.send("SIM:SET res 47")
    check(near(other.query("MEAS:RES?"), 47), "a second connection sees the same instrument")
    c.send("SIM:DROP")
    check(c.recv_some(TIMEOUT) == b"", "SIM:DROP closes the connection")
    check(near(other.query("MEAS:RES?"), 47), "SIM:DROP closed only its own connection")
    c.close()
    c = TcpClient(port)
    check(c.query("*OPC?") == "1", "a new connection after SIM:DROP is served")

    step("kill and restart on the same port")
    dmm.stop()  # a connection is open: the port is left in TIME_WAIT by the server side
    c.close()
    other.close()
    again = Peer("scpi_tcp.py", "--model", "dmm", "--port", port)
    check(again.ready == port, "restarted at once on the same port (SO_REUSEADDR)")
    c = TcpClient(port)
    check(near(c.query("MEAS:RES?"), 1000), "the restarted instrument answers, fresh")
    c.close()
    again.stop()

    step("scpi_tcp.py --model psu --terminator '\\r\\n' --drop-after 30")
    psu = Peer("scpi_tcp.py", "--model", "psu", "--terminator", r"\r\n", "--drop-after", "30")
    c = TcpClient(psu.ready, term=b"\r\n")
    c._send(b"*OPC?\r\n")
    check(c.readline() == b"1" and c.buf == b"", "\\r\\n in, \\r\\n out")
    check_psu(c)
    while c.replies < 30:
        c.query("*OPC?")
    check(c.recv_some(TIMEOUT) == b"", "--drop-after 30: closed after the 30th reply")
    c.close()
    c = TcpClient(psu.ready, term=b"\r\n")
    check(c.query("*OPC?") == "1", "--drop-after: the next connection is served")
    c.close()
    psu.stop()


def check_scpi_serial(tmp):
    step("serial_pair.py --responder dmm")
    pair_dir = os.path.join(tmp, "pair1")
    pair = Peer("serial_pair.py", pair_dir, "--responder", "dmm")
    check(pair.ready == pair_dir, "READY <dir>")
    socats = children(pair.proc.pid)
    check(len(socats) == 1, "serial_pair runs one socat")
    c = PtyClient(os.path.join(pair_dir, "ttyA"))
    check_dmm(c)
    check_faults(c)
    c.send("SIM:DROP")
    check(c.query("*OPC?") == "1", "serial ignores SIM:DROP")
    c.close()
    c = PtyClient(os.path.join(pair_dir, "ttyA"))
    check(c.query("*OPC?") == "1", "ttyA closed and opened again: still served")
    c.close()
    pair.stop()
    wait_gone(socats[0], "socat after SIGTERM to serial_pair")
    check(not os.path.lexists(os.path.join(pair_dir, "ttyA")), "the links are removed")

    step("serial_pair.py + scpi_serial.py --model psu --terminator '\\r\\n'")
    pair_dir = os.path.join(tmp, "pair2")
    pair = Peer("serial_pair.py", pair_dir)
    socats = children(pair.proc.pid)
    ttyb = os.path.join(pair_dir, "ttyB")
    psu = Peer("scpi_serial.py", "--model", "psu", "--device", ttyb, "--terminator", r"\r\n")
    check(psu.ready == ttyb, "READY <path>")
    c = PtyClient(os.path.join(pair_dir, "ttyA"), term=b"\r\n")
    check_psu(c)
    c.close()
    psu.stop()
    pair.stop(signal.SIGKILL)  # no chance to clean up: socat must end by PR_SET_PDEATHSIG
    wait_gone(socats[0], "socat after SIGKILL to serial_pair")


def check_modbus():
    from pymodbus.client import ModbusTcpClient

    step("modbus_server.py")
    server = Peer("modbus_server.py")
    port = int(server.ready)
    mb = ModbusTcpClient("127.0.0.1", port=port, timeout=TIMEOUT)
    check(mb.connect(), "pymodbus client connects")

    def regs(kind, address, count):
        r = getattr(mb, f"read_{kind}")(address, count, slave=1)
        check(not r.isError(), f"read_{kind}({address}, {count}) succeeds ({r})")
        return r.registers if "registers" in kind else r.bits[:count]

    def words(fmt, values):
        return struct.unpack(">" + fmt, b"".join(w.to_bytes(2, "big") for w in values))[0]

    hr = regs("holding_registers", 0, 42)
    check(hr[0:3] == [1000, 1001, 1002], "HR0..2 = 1000, 1001, 1002")
    check(words("f", hr[10:12]) == 21.5, "HR10..11 float32 21.5 big")
    check(words("f", hr[12:14][::-1]) == 21.5, "HR12..13 float32 21.5 little")
    check(hr[20] == 0xFB2E and words("h", hr[20:21]) == -1234, "HR20 int16 -1234")
    check(words("i", hr[21:23]) == -123456, "HR21..22 int32 -123456 big")
    check(words("I", hr[23:25]) == 3000000000, "HR23..24 uint32 3000000000 big")
    check(hr[30] == 0 and words("f", hr[40:42]) == 0.0, "HR30 = 0, HR40..41 = 0.0")
    check(sum(hr) == sum(hr[i] for i in (0, 1, 2, 10, 13, 20, 21, 22, 23, 24)), "the rest is 0")
    ir = regs("input_registers", 0, 4)
    check(ir[0:2] == [250, 65535] and words("f", ir[2:4]) == 3.25, "IR0 250, IR1 65535, IR2..3 3.25")
    check(regs("coils", 0, 16) == [i == 1 for i in range(16)], "coils: only coil 1 on")
    check(regs("discrete_inputs", 0, 16) == [i in (0, 2) for i in range(16)], "DI0, DI2 on")

    check(not mb.write_register(30, 1234, slave=1).isError(), "write HR30")
    check(regs("holding_registers", 30, 1) == [1234], "HR30 reads back 1234")
    check(not mb.write_registers(40, [0x4148, 0x0000], slave=1).isError(), "write HR40..41")
    check(words("f", regs("holding_registers", 40, 2)) == 12.5, "HR40..41 reads back 12.5")
    check(not mb.write_coil(3, True, slave=1).isError() and regs("coils", 3, 1) == [True],
          "coil 3 written and read back")
    check(len(regs("holding_registers", 99, 1)) == 1, "HR99 is the last register")
    for what, r in [("HR100", mb.read_holding_registers(100, 1, slave=1)),
                    ("HR99..100", mb.read_holding_registers(99, 2, slave=1)),
                    ("IR100", mb.read_input_registers(100, 1, slave=1)),
                    ("coil 16", mb.read_coils(16, 1, slave=1)),
                    ("DI16", mb.read_discrete_inputs(16, 1, slave=1)),
                    ("write HR100", mb.write_register(100, 1, slave=1))]:
        check(r.isError() and getattr(r, "exception_code", None) == 2,
              f"{what}: exception 2, illegal data address ({r})")

    step("modbus_server.py: kill and restart on the same port")
    server.stop()  # with the client connected
    mb.close()
    again = Peer("modbus_server.py", "--port", str(port))
    check(again.ready == str(port), "restarted at once on the same port")
    mb = ModbusTcpClient("127.0.0.1", port=port, timeout=TIMEOUT)
    check(mb.connect() and regs("holding_registers", 30, 1) == [0], "restarted server is fresh")
    mb.close()
    again.stop()


def leftovers(tmp):
    """Our peers and socats, or anything naming our temporary directory, still running."""
    ours = {p.proc.pid for p in Peer.started}
    out = subprocess.run(["ps", "-eo", "pid=,stat=,args="], capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        pid, stat, args = line.split(None, 2)
        if not stat.startswith("Z") and (int(pid) in ours or tmp in args):
            found.append(line.strip())
    return found


def main():
    t0 = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="benchtop-peers-")
    try:
        check_scpi_tcp()
        check_scpi_serial(tmp)
        check_modbus()
    except Failure as e:
        print(f"selftest: FAILED: {e}", file=sys.stderr)
        for peer in Peer.started:
            print(f"--- stderr of {peer.name}:\n{peer.stderr_tail()}", file=sys.stderr)
        return 1
    finally:
        for peer in Peer.started:
            if peer.proc.poll() is None:
                peer.proc.terminate()
                try:
                    peer.proc.wait(TIMEOUT)
                except subprocess.TimeoutExpired:
                    peer.proc.kill()
                    peer.proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    left = leftovers(tmp)
    if left:
        print("selftest: FAILED: processes left behind:\n  " + "\n  ".join(left), file=sys.stderr)
        return 1
    print(f"selftest: all peers ok in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
