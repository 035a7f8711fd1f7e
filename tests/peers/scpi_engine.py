# SPDX-License-Identifier: MIT
"""The SCPI instrument model shared by the test peers scpi_tcp.py and scpi_serial.py.

ScpiInstrument(model) is a simulated instrument that knows nothing about sockets or serial
lines: a front end feeds it one command line at a time (terminator already removed) and gets
back a list of actions, each a Reply (bytes to write, when and how) or DROP (close this
connection). Two models:

  dmm  BENCHTOP,SIM-DMM34401,DMM0001,1.2.3   a bench multimeter
       MEASure:VOLTage[:DC]?  MEASure:CURRent[:DC]?  MEASure:RESistance?  READ? (= volts DC)
       answer the "world" values volt_dc (1.2345), curr_dc (0.012), res (1000.0) exactly.
  psu  BENCHTOP,SIM-PSU3303,PSU0001,2.0.1     a power supply into a resistive load
       VOLTage <v>|MIN|MAX (0..30 V), VOLTage?, CURRent <a>|MIN|MAX (0..5 A), CURRent?,
       OUTPut[:STATe] ON|OFF|1|0, OUTPut[:STATe]? -> 1|0,
       MEASure:VOLTage[:DC]? -> the setpoint when the output is on, else 0;
       MEASure:CURRent[:DC]? -> min(setpoint / load_ohms, CURRent) when on, else 0.
       *RST: 0 V, 1 A, output off. World value: load_ohms (10.0).

Common: *IDN? *RST *CLS *OPC? *OPC *WAI, SYSTem:ERRor[:NEXT]? (oldest entry first, or
+0,"No error"; the queue holds 20 entries, then the last becomes -350,"Queue overflow").
Headers are case-insensitive, in short (VOLT) or long (VOLTAGE) form, with an optional
leading colon. Several commands may share a line separated by ';' (each is taken from the
root, a simplification of SCPI); the answers of the queries on one line form one reply
joined by ';'. A command error (-1xx) skips the rest of its line.
Numbers are answered in NR3 form (+1.23450000E+00), booleans as 1/0.

Errors: unknown header -113,"Undefined header"; missing argument -109,"Missing parameter";
argument where none is taken -108,"Parameter not allowed"; not a number -104,"Data type error";
bad keyword -224,"Illegal parameter value"; number out of range -222,"Data out of range"
(the old value is kept).

Test control (not SCPI; they never reply), for fault injection. They act on the instrument,
so, like its settings, they are shared by all connections of a TCP peer:
  SIM:SET <name> <value>   set a world value (dmm: volt_dc curr_dc res; psu: load_ohms);
                           *RST does not change them
  SIM:ERR <code>,"<text>"  push an entry on the error queue
  SIM:DELAY <ms>           every later reply is sent <ms> late (0 ends it)
  SIM:SPLIT <ms>           every later reply is written in 3 pieces <ms> apart (0 ends it)
  SIM:DROP                 the TCP front end closes this connection at once (serial ignores it)
  SIM:GARBLE               the next reply is b"\\xff\\xfe\\x80garbage" + terminator
  SIM:NOTERM               the next reply is sent without its terminator
  SIM:LONG <n>             the next reply is n bytes 'A' + terminator
  SIM:SILENT               the next query gets no reply at all
The one-shot faults wait for the next reply, whichever connection it is for.
"""
import math
import re
from collections import deque
from dataclasses import dataclass

IDN = {
    "dmm": "BENCHTOP,SIM-DMM34401,DMM0001,1.2.3",
    "psu": "BENCHTOP,SIM-PSU3303,PSU0001,2.0.1",
}
WORLD = {
    "dmm": {"volt_dc": 1.2345, "curr_dc": 0.012, "res": 1000.0},
    "psu": {"load_ohms": 10.0},
}
ERROR_TEXT = {
    -104: "Data type error",
    -108: "Parameter not allowed",
    -109: "Missing parameter",
    -113: "Undefined header",
    -222: "Data out of range",
    -224: "Illegal parameter value",
    -350: "Queue overflow",
}
GARBLED = b"\xff\xfe\x80garbage"
QUEUE_SIZE = 20
VOLT_MAX, CURR_MAX = 30.0, 5.0


@dataclass
class Reply:
    data: bytes  # what to write, terminator included unless SIM:NOTERM asked otherwise
    delay: float = 0.0  # seconds to wait before writing (SIM:DELAY)
    split: float = 0.0  # > 0: write in three pieces this many seconds apart (SIM:SPLIT)

    def pieces(self):
        if self.split <= 0:
            return [self.data]
        n = len(self.data)
        cuts = [0, n // 3, 2 * n // 3, n]
        return [self.data[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


class _Drop:
    def __repr__(self):
        return "DROP"


DROP = _Drop()  # the action "close this connection"


class ScpiError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def nr3(value):
    return f"{value:+.8E}"


def _number(arg, lo=None, hi=None):
    """A numeric argument; MIN/MAX name the limits. Out of [lo, hi] is -222."""
    word = arg.upper()
    if lo is not None and word in ("MIN", "MINIMUM"):
        return lo
    if hi is not None and word in ("MAX", "MAXIMUM"):
        return hi
    try:
        value = float(arg)
    except ValueError:
        raise ScpiError(-104) from None
    if not math.isfinite(value):
        raise ScpiError(-104)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ScpiError(-222)
    return value


def _header_regex(pattern):
    """'MEASure:VOLTage[:DC]?' -> a regex accepting MEAS:VOLT?, :measure:voltage:dc? ..."""
    query = pattern.endswith("?")
    parts = []
    for optional, node in re.findall(r"(\[?):?([*\w]+)\]?", pattern.rstrip("?")):
        short = "".join(c for c in node if not c.islower())
        forms = {re.escape(short), re.escape(node)}
        alt = "(?:" + "|".join(sorted(forms)) + ")"
        sep = ":" if parts else ""
        parts.append(f"(?:{sep}{alt})?" if optional else sep + alt)
    return re.compile(":?" + "".join(parts) + (r"\?" if query else ""), re.IGNORECASE)


def _split_line(line):
    """Split on ';' outside double quotes (SIM:ERR texts may hold a ';')."""
    segments, current, quoted = [], [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            segments.append("".join(current))
            current = []
        else:
            current.append(ch)
    segments.append("".join(current))
    return [s.strip() for s in segments if s.strip()]


class ScpiInstrument:
    def __init__(self, model, terminator=b"\n"):
        if model not in IDN:
            raise ValueError(f"unknown model {model!r} (dmm or psu)")
        self.model = model
        self.terminator = terminator
        self.world = dict(WORLD[model])
        self.errors = deque()
        # Fault injection: persistent (delay, split) and one-shot (the rest).
        self.delay = self.split = 0.0
        self.garble = self.noterm = self.silent = False
        self.long = None
        self.reset()

        # (header pattern, handler, takes an argument)
        table = [
            ("*IDN?", lambda: IDN[model], False),
            ("*RST", self.reset, False),
            ("*CLS", self.errors.clear, False),
            ("*OPC?", lambda: "1", False),
            ("*OPC", lambda: None, False),
            ("*WAI", lambda: None, False),
            ("SYSTem:ERRor[:NEXT]?", self._next_error, False),
            ("SIM:SET", self._sim_set, True),
            ("SIM:ERR", self._sim_err, True),
            ("SIM:DELAY", lambda a: setattr(self, "delay", _number(a, 0) / 1000), True),
            ("SIM:SPLIT", lambda a: setattr(self, "split", _number(a, 0) / 1000), True),
            ("SIM:DROP", lambda: DROP, False),
            ("SIM:GARBLE", lambda: setattr(self, "garble", True), False),
            ("SIM:NOTERM", lambda: setattr(self, "noterm", True), False),
            ("SIM:LONG", self._sim_long, True),
            ("SIM:SILENT", lambda: setattr(self, "silent", True), False),
        ]
        if model == "dmm":
            table += [
                ("MEASure:VOLTage[:DC]?", lambda: nr3(self.world["volt_dc"]), False),
                ("READ?", lambda: nr3(self.world["volt_dc"]), False),
                ("MEASure:CURRent[:DC]?", lambda: nr3(self.world["curr_dc"]), False),
                ("MEASure:RESistance?", lambda: nr3(self.world["res"]), False),
            ]
        else:
            table += [
                ("VOLTage", self._set_volt, True),
                ("VOLTage?", lambda: nr3(self.volt), False),
                ("CURRent", self._set_curr, True),
                ("CURRent?", lambda: nr3(self.curr), False),
                ("OUTPut[:STATe]", self._set_output, True),
                ("OUTPut[:STATe]?", lambda: "1" if self.output else "0", False),
                ("MEASure:VOLTage[:DC]?", lambda: nr3(self.volt if self.output else 0.0), False),
                ("MEASure:CURRent[:DC]?", self._meas_curr, False),
            ]
        self.commands = [(_header_regex(p), fn, arg) for p, fn, arg in table]

    # --- instrument -----------------------------------------------------------------------
    def reset(self):
        self.volt, self.curr, self.output = 0.0, 1.0, False

    def push_error(self, code, text=None):
        if len(self.errors) >= QUEUE_SIZE:
            self.errors[-1] = (-350, ERROR_TEXT[-350])
            return
        self.errors.append((code, text if text is not None else ERROR_TEXT[code]))

    def _next_error(self):
        code, text = self.errors.popleft() if self.errors else (0, "No error")
        return f'{code:+d},"{text}"'

    def _set_volt(self, arg):
        self.volt = _number(arg, 0.0, VOLT_MAX)

    def _set_curr(self, arg):
        self.curr = _number(arg, 0.0, CURR_MAX)

    def _set_output(self, arg):
        word = arg.upper()
        if word not in ("ON", "OFF", "1", "0"):
            raise ScpiError(-224)
        self.output = word in ("ON", "1")

    def _meas_curr(self):
        if not self.output:
            return nr3(0.0)
        return nr3(min(self.volt / self.world["load_ohms"], self.curr))

    # --- test control ---------------------------------------------------------------------
    def _sim_set(self, arg):
        name, _, value = arg.partition(" ")
        if name.lower() not in self.world:
            raise ScpiError(-224)
        if not value.strip():
            raise ScpiError(-109)
        self.world[name.lower()] = _number(value.strip())

    def _sim_err(self, arg):
        m = re.fullmatch(r'([+-]?\d+)\s*,\s*"?(.*?)"?', arg)
        if not m:
            raise ScpiError(-104)
        self.push_error(int(m.group(1)), m.group(2))

    def _sim_long(self, arg):
        self.long = int(_number(arg, 0))

    # --- the front ends' entry point ------------------------------------------------------
    def handle(self, line):
        """One command line (without terminator) -> list of actions: Reply objects or DROP."""
        answers = []
        for segment in _split_line(line):
            header, arg = (segment.split(None, 1) + [""])[:2]
            try:
                result = self._execute(header, arg)
            except ScpiError as e:
                self.push_error(e.code)
                if -199 <= e.code <= -100:  # a command error ends the line
                    break
                continue
            if result is DROP:
                return [DROP]
            if header.endswith("?"):
                answers.append(result)
        if not answers:
            return []
        reply = self._reply(";".join(answers))
        return [reply] if reply else []

    def _execute(self, header, arg):
        for regex, fn, takes_arg in self.commands:
            if regex.fullmatch(header):
                if takes_arg and not arg:
                    raise ScpiError(-109)
                if arg and not takes_arg:
                    raise ScpiError(-108)
                return fn(arg) if takes_arg else fn()
        raise ScpiError(-113)

    def _reply(self, text):
        """Apply the pending faults to an answer; None when SIM:SILENT eats it."""
        if self.silent:
            self.silent = False
            return None
        body = text.encode()
        if self.long is not None:
            body, self.long = b"A" * self.long, None
        if self.garble:
            body, self.garble = GARBLED, False
        term = self.terminator
        if self.noterm:
            term, self.noterm = b"", False
        return Reply(body + term, self.delay, self.split)


def parse_terminator(text):
    r"""'\r\n' as typed on a command line -> b'\r\n'."""
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")
