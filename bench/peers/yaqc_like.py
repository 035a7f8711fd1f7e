#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A yaqc-like client: the bytes yaqc sends, for measuring a yaq daemon's round trip.

    yaqc_like.py --port PORT [--host 127.0.0.1] (--stock | --nodelay) [--seconds S]
                 [--warmup S] [--message get_position]

Standard library only (Debian's /usr/bin/python3). It handshakes as yaqc does (first with
hashes of 16 spaces and no protocol, which the daemon answers NONE with its document; then
again naming the daemon's hash and document, answered BOTH), then calls a message that takes no
arguments (get_position by default) one at a time for --seconds after --warmup, and prints one
JSON line: calls_per_s and the round trip's p50 / p99 / max in microseconds.

  --stock    as yaqc does it: Nagle left on, and each request written as separate small writes
             (the handshake record, the metadata frame, the name frame, the terminator), so
             that a daemon that delays its ACKs makes every call wait for them
             (/work/shared/yaq-protocol.md, "Latency trap").
  --nodelay  TCP_NODELAY, and each request in one write.

Responses are read as the reference implementations read them: frame payloads concatenated,
values decoded by schema, empty frames no-ops.

Imported, it is also a small yaq client for scripts (docs/scripting.md):

    import yaqc_like
    with yaqc_like.Client("127.0.0.1", 36001) as stage:
        stage.call("set_position", 2.5)          # or stage.set_position(2.5)
        print(stage.call("get_position"))

Client handshakes, reads the daemon's protocol document, encodes each call's arguments by the
message's request schema (defaults filled in) and decodes the response by its response schema:
the whole of Avro's binary encoding (null, boolean, int, long, float, double, string, bytes,
array, map, record, enum, union, fixed, and the document's named types such as ndarray). A
yaq error reply raises YaqError with the daemon's message.
"""
import argparse
import json
import os
import socket
import struct
import sys
import time

HANDSHAKE_MATCH = ["BOTH", "CLIENT", "NONE"]


# --- Avro binary encoding: the parts used ---------------------------------------------------

def zigzag(n):
    n = (n << 1) ^ (n >> 63)
    out = bytearray()
    while n & ~0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def avro_string(text):
    data = text.encode()
    return zigzag(len(data)) + data


def frame(payload):
    return struct.pack(">I", len(payload)) + payload


TERMINATOR = frame(b"")
EMPTY_META = frame(b"\x00")  # map<bytes> {}: one block count of 0


def handshake_record(client_hash, client_protocol, server_hash):
    """HandshakeRequest: clientHash fixed(16), clientProtocol [null, string], serverHash
    fixed(16), meta [null, map<bytes>] = {} (branch 1, empty map), as yaqc sends it."""
    out = bytearray(client_hash)
    out += b"\x00" if client_protocol is None else b"\x02" + avro_string(client_protocol)
    out += server_hash
    out += b"\x02\x00"
    return bytes(out)


def request_writes(name, handshake=None):
    """One request as the list of writes yaqc makes: (handshake,) metadata, name, terminator
    (the messages called here take no parameters, so there is no parameter frame)."""
    writes = [] if handshake is None else [frame(handshake)]
    writes += [EMPTY_META, frame(avro_string(name)), TERMINATOR]
    return writes


class Reader:
    """Frame payloads concatenated, read by schema; empty frames are no-ops."""

    def __init__(self, sock):
        self.sock = sock
        self.raw = bytearray()  # bytes received, not yet split into frames
        self.data = bytearray()  # payload bytes, not yet decoded
        self.pos = 0

    def _more(self):
        while True:
            if len(self.raw) >= 4:
                (length,) = struct.unpack_from(">I", self.raw, 0)
                if len(self.raw) >= 4 + length:
                    if self.pos:
                        del self.data[: self.pos]
                        self.pos = 0
                    self.data += self.raw[4: 4 + length]
                    del self.raw[: 4 + length]
                    if length:
                        return
                    continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the daemon closed the connection")
            self.raw += chunk

    def take(self, n):
        while len(self.data) - self.pos < n:
            self._more()
        out = bytes(self.data[self.pos: self.pos + n])
        self.pos += n
        return out

    def long(self):
        shift = result = 0
        while True:
            b = self.take(1)[0]
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return (result >> 1) ^ -(result & 1)
            shift += 7

    def bytes_(self):
        return self.take(self.long())

    def string(self):
        return self.bytes_().decode()

    def map_bytes(self):
        out = {}
        while True:
            count = self.long()
            if count == 0:
                return out
            if count < 0:
                count = -count
                self.long()  # the block's size in bytes
            for _ in range(count):
                key = self.string()
                out[key] = self.bytes_()

    def call_response(self, decode_value):
        """metadata, error flag, then the value (or the error's union ["string"])."""
        self.map_bytes()
        if self.take(1) != b"\x00":
            if self.long() != 0:
                raise ValueError("error union branch is not 0")
            raise RuntimeError("the daemon answered an error: " + self.string())
        return decode_value(self)


def double(reader):
    return struct.unpack("<d", reader.take(8))[0]


def null(reader):
    return None


def handshake_response(reader):
    match = HANDSHAKE_MATCH[reader.long()]
    protocol = reader.string() if reader.long() == 1 else None
    server_hash = reader.take(16) if reader.long() == 1 else None
    if reader.long() == 1:
        reader.map_bytes()
    return match, protocol, server_hash


def send(sock, writes, stock):
    if stock:
        for w in writes:
            sock.sendall(w)
    else:
        sock.sendall(b"".join(writes))


def connect(host, port, stock, timeout=None):
    """Connects and handshakes; returns the socket, its Reader and the protocol document.
    timeout: seconds for every socket operation (None: wait as long as it takes)."""
    if timeout is None:
        sock = socket.create_connection((host, port))
    else:
        sock = socket.create_connection((host, port), timeout)
    if not stock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    reader = Reader(sock)
    spaces = b" " * 16
    send(sock, request_writes("", handshake_record(spaces, None, spaces)), stock)
    match, protocol, server_hash = handshake_response(reader)
    reader.call_response(null)
    if match != "NONE" or protocol is None or server_hash is None:
        raise RuntimeError(f"first handshake: {match}, expected NONE with the protocol")
    send(sock, request_writes("", handshake_record(server_hash, protocol, server_hash)), stock)
    match, _, _ = handshake_response(reader)
    reader.call_response(null)
    if match != "BOTH":
        raise RuntimeError(f"second handshake: {match}, expected BOTH")
    return sock, reader, json.loads(protocol)


# --- A client for scripts: every Avro type, by the daemon's protocol document ----------------

PRIMITIVES = ("null", "boolean", "int", "long", "float", "double", "string", "bytes")
NAMED = ("record", "error", "enum", "fixed")
INT_RANGE = {"int": (-(1 << 31), (1 << 31) - 1), "long": (-(1 << 63), (1 << 63) - 1)}


class YaqError(RuntimeError):
    """A yaq daemon answered a call with an error; str() is the daemon's message."""

    def __init__(self, call, text):
        super().__init__(text)
        self.call = call  # the message's name
        self.text = text


class Schemas:
    """The named types of a protocol document, and Avro binary encoding by schema."""

    def __init__(self, types=()):
        self.named = {}
        for schema in types:
            self.register(schema)

    def register(self, schema, namespace=None):
        """Records the named types schema declares (at any depth), under full and short names."""
        if isinstance(schema, list):
            for branch in schema:
                self.register(branch, namespace)
        elif isinstance(schema, dict):
            kind = schema.get("type")
            if kind in NAMED:
                name = schema["name"]
                if "." in name:
                    full, namespace = name, name.rsplit(".", 1)[0]
                else:
                    namespace = schema.get("namespace", namespace)
                    full = f"{namespace}.{name}" if namespace else name
                self.named[full] = schema
                # yaq refers to its types by their short names ("ndarray").
                self.named.setdefault(full.rsplit(".", 1)[-1], schema)
                for field in schema.get("fields", []) if kind in ("record", "error") else []:
                    self.register(field["type"], namespace)
            elif kind == "array":
                self.register(schema["items"], namespace)
            elif kind == "map":
                self.register(schema["values"], namespace)
            elif isinstance(kind, (dict, list)):
                self.register(kind, namespace)

    def resolve(self, schema):
        """A primitive's name, a union's list, or a record/enum/fixed/array/map's dict."""
        while True:
            if isinstance(schema, str):
                if schema in PRIMITIVES:
                    return schema
                named = self.named.get(schema) or self.named.get(schema.rsplit(".", 1)[-1])
                if named is None:
                    raise ValueError(f"unknown Avro type {schema!r}")
                schema = named
            elif isinstance(schema, dict) and schema.get("type") not in NAMED + ("array", "map"):
                schema = schema["type"]  # {"type": "string"}, a logical type, a reference
            else:
                return schema

    # Encoding ---------------------------------------------------------------------------

    def encode(self, schema, value):
        out = bytearray()
        self._encode(schema, value, out)
        return bytes(out)

    def _encode(self, schema, value, out):
        s = self.resolve(schema)
        if isinstance(s, list):
            index = self._branch(s, value)
            out += zigzag(index)
            self._encode(s[index], value, out)
        elif s == "null":
            if value is not None:
                raise TypeError(f"null expected, not {value!r}")
        elif s == "boolean":
            if not isinstance(value, bool):
                raise TypeError(f"boolean expected, not {value!r}")
            out.append(1 if value else 0)
        elif isinstance(s, str) and s in INT_RANGE:
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{s} expected, not {value!r}")
            low, high = INT_RANGE[s]
            if not low <= value <= high:
                raise ValueError(f"{value} does not fit an Avro {s}")
            out += zigzag(value)
        elif s in ("float", "double"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{s} expected, not {value!r}")
            out += struct.pack("<f" if s == "float" else "<d", float(value))
        elif s == "string":
            if not isinstance(value, str):
                raise TypeError(f"string expected, not {value!r}")
            out += avro_string(value)
        elif s == "bytes":
            if not isinstance(value, (bytes, bytearray)):
                raise TypeError(f"bytes expected, not {value!r}")
            out += zigzag(len(value)) + bytes(value)
        else:
            kind = s["type"]
            if kind in ("record", "error"):
                if not isinstance(value, dict):
                    raise TypeError(f"{s['name']}: a dict expected, not {value!r}")
                for field in s["fields"]:
                    if field["name"] in value:
                        item = value[field["name"]]
                    elif "default" in field:
                        item = self.from_json(field["type"], field["default"])
                    else:
                        raise TypeError(f"{s['name']}: no value for field {field['name']!r}")
                    self._encode(field["type"], item, out)
            elif kind == "enum":
                if value not in s["symbols"]:
                    raise ValueError(f"{s['name']}: {value!r} is not one of {s['symbols']}")
                out += zigzag(s["symbols"].index(value))
            elif kind == "fixed":
                if not isinstance(value, (bytes, bytearray)) or len(value) != s["size"]:
                    raise TypeError(f"{s['name']}: {s['size']} bytes expected, not {value!r}")
                out += bytes(value)
            elif kind == "array":
                items = list(value)
                if items:
                    out += zigzag(len(items))
                    for item in items:
                        self._encode(s["items"], item, out)
                out.append(0)
            elif kind == "map":
                if not isinstance(value, dict):
                    raise TypeError(f"map expected, not {value!r}")
                if value:
                    out += zigzag(len(value))
                    for key, item in value.items():
                        out += avro_string(key)
                        self._encode(s["values"], item, out)
                out.append(0)
            else:
                raise ValueError(f"unknown Avro schema {s!r}")

    def _branch(self, union, value):
        """The union branch a Python value is written as: the first that takes it exactly
        (an int as int or long), else the first that takes it at all (an int as a double)."""
        for loose in (False, True):
            for index, branch in enumerate(union):
                if self._takes(self.resolve(branch), value, loose):
                    return index
        raise TypeError(f"{value!r} fits no branch of the union {union}")

    def _takes(self, s, value, loose):
        if isinstance(s, str):
            if value is None or isinstance(value, bool):
                return s == ("null" if value is None else "boolean")
            if isinstance(value, int):
                if s in INT_RANGE:
                    return INT_RANGE[s][0] <= value <= INT_RANGE[s][1]
                return loose and s in ("float", "double")
            if isinstance(value, float):
                return s in ("float", "double")
            if isinstance(value, str):
                return s == "string"
            if isinstance(value, (bytes, bytearray)):
                return s == "bytes"
            return False
        kind = s["type"]
        if kind in ("record", "error"):
            names = {field["name"] for field in s["fields"]}
            return isinstance(value, dict) and set(value) <= names and all(
                field["name"] in value or "default" in field for field in s["fields"])
        if kind == "enum":
            return isinstance(value, str) and value in s["symbols"]
        if kind == "fixed":
            return isinstance(value, (bytes, bytearray)) and len(value) == s["size"]
        if kind == "array":
            return isinstance(value, (list, tuple))
        if kind == "map":
            return isinstance(value, dict)
        return False

    def from_json(self, schema, value):
        """An Avro JSON default as the Python value it encodes (bytes from code points; a
        union's default belongs to its first branch)."""
        s = self.resolve(schema)
        if isinstance(s, list):
            return self.from_json(s[0], value)
        if s == "bytes" or (isinstance(s, dict) and s["type"] == "fixed"):
            return value.encode("latin-1") if isinstance(value, str) else value
        if s in ("float", "double") and isinstance(value, int):
            return float(value)
        return value

    # Decoding ---------------------------------------------------------------------------

    def decode(self, schema, reader):
        s = self.resolve(schema)
        if isinstance(s, list):
            index = reader.long()
            if not 0 <= index < len(s):
                raise ValueError(f"union branch {index} of {s}")
            return self.decode(s[index], reader)
        if s == "null":
            return None
        if s == "boolean":
            return reader.take(1) != b"\x00"
        if isinstance(s, str) and s in INT_RANGE:
            return reader.long()
        if s == "float":
            return struct.unpack("<f", reader.take(4))[0]
        if s == "double":
            return struct.unpack("<d", reader.take(8))[0]
        if s == "string":
            return reader.string()
        if s == "bytes":
            return reader.bytes_()
        kind = s["type"]
        if kind in ("record", "error"):
            return {field["name"]: self.decode(field["type"], reader) for field in s["fields"]}
        if kind == "enum":
            return s["symbols"][reader.long()]
        if kind == "fixed":
            return reader.take(s["size"])
        if kind in ("array", "map"):
            out = [] if kind == "array" else {}
            while True:
                count = reader.long()
                if count == 0:
                    return out
                if count < 0:
                    count = -count
                    reader.long()  # the block's size in bytes
                for _ in range(count):
                    if kind == "array":
                        out.append(self.decode(s["items"], reader))
                    else:
                        key = reader.string()
                        out[key] = self.decode(s["values"], reader)
        raise ValueError(f"unknown Avro schema {s!r}")


NDARRAY_FORMATS = {"f4": "f", "f8": "d", "i1": "b", "i2": "h", "i4": "i", "i8": "q",
                   "u1": "B", "u2": "H", "u4": "I", "u8": "Q", "b1": "?"}


def ndarray_to_list(value):
    """A yaq ndarray record (shape, typestr such as "<f8", data, version) as nested lists."""
    typestr = value["typestr"]
    order = ">" if typestr[0] == ">" else "<"
    code = NDARRAY_FORMATS.get(typestr[1:])
    if code is None:
        raise ValueError(f"ndarray typestr {typestr!r} is not supported")
    shape = list(value["shape"])
    count = 1
    for n in shape:
        count *= n
    flat = list(struct.unpack(f"{order}{count}{code}", value["data"]))

    def nest(items, dims):
        if len(dims) <= 1:
            return items
        step = len(items) // dims[0] if dims[0] else 0
        return [nest(items[i * step:(i + 1) * step], dims[1:]) for i in range(dims[0])]

    return nest(flat, shape)


class Client:
    """One connection to a yaq daemon, calls made one at a time (TCP_NODELAY, each request in
    one write). Not thread-safe: give each thread its own Client."""

    def __init__(self, host="127.0.0.1", port=None, timeout=10.0):
        if port is None:
            raise TypeError("Client(host, port): a port is needed")
        self.host, self.port = host, port
        self.sock, self.reader, self.protocol = connect(host, port, False, timeout)
        self.schemas = Schemas(self.protocol.get("types", []))
        self.messages = self.protocol.get("messages", {})
        for message in self.messages.values():  # inline named types, if a daemon has them
            for parameter in message.get("request", []):
                self.schemas.register(parameter["type"])
            self.schemas.register(message.get("response", "null"))

    @property
    def kind(self):
        """The daemon's kind (its protocol's name): "sim-motor", "benchtop-runs", ..."""
        return self.protocol.get("protocol")

    def call(self, name, *args, **kwargs):
        """Calls message name with its parameters positional or by name (the others take their
        defaults) and returns the decoded response. Raises YaqError when the daemon answers an
        error, ValueError for a message the daemon does not have, TypeError for arguments that
        do not fit the message's request."""
        message = self.messages.get(name)
        if message is None:
            raise ValueError(f"{name}: not a message of this {self.kind} daemon "
                             f"(it has: {', '.join(sorted(self.messages))})")
        parameters = message.get("request", [])
        if len(args) > len(parameters):
            raise TypeError(f"{name} takes {len(parameters)} arguments, not {len(args)}")
        kwargs = dict(kwargs)
        frames = [EMPTY_META, frame(avro_string(name))]
        for index, parameter in enumerate(parameters):
            pname, schema = parameter["name"], parameter["type"]
            if index < len(args):
                if pname in kwargs:
                    raise TypeError(f"{name}: {pname} given twice")
                value = args[index]
            elif pname in kwargs:
                value = kwargs.pop(pname)
            elif "default" in parameter:
                value = self.schemas.from_json(schema, parameter["default"])
            else:
                raise TypeError(f"{name}: no value for {pname}")
            try:
                frames.append(frame(self.schemas.encode(schema, value)))
            except (TypeError, ValueError) as e:
                raise TypeError(f"{name}: {pname}: {e}") from None
        if kwargs:
            raise TypeError(f"{name} has no parameter {', '.join(kwargs)}")
        frames.append(TERMINATOR)
        self.sock.sendall(b"".join(frames))
        reader = self.reader
        reader.map_bytes()
        if reader.take(1) != b"\x00":
            branch = reader.long()
            text = reader.string() if branch == 0 else "(an error that is not a string)"
            raise YaqError(name, text)
        return self.schemas.decode(message.get("response", "null"), reader)

    def __getattr__(self, name):
        # client.get_position() for client.call("get_position"), as yaqc offers.
        messages = self.__dict__.get("messages", {})
        if name in messages:
            return lambda *args, **kwargs: self.call(name, *args, **kwargs)
        raise AttributeError(name)

    def __dir__(self):
        return list(super().__dir__()) + list(self.__dict__.get("messages", {}))

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def percentile(values, p):
    """Nearest rank, as the other peers: the value at rank ceil(p/100 * n)."""
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, -(-len(values) * p // 100) - 1))
    return values[int(k)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--stock", action="store_true")
    mode.add_argument("--nodelay", action="store_true")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--warmup", type=float, default=0.5)
    ap.add_argument("--message", default="get_position")
    args = ap.parse_args()
    stock = args.stock

    sock, reader, protocol = connect(args.host, args.port, stock)
    message = protocol.get("messages", {}).get(args.message)
    if message is None or message.get("request"):
        raise SystemExit(f"{args.message}: not a message without parameters in the daemon's protocol")
    decode = {"double": double, "null": null}.get(message.get("response"))
    if decode is None:
        raise SystemExit(f"{args.message}: response {message.get('response')!r} not supported here")
    writes = request_writes(args.message)
    joined = [b"".join(writes)]
    if stock:
        def call():
            for w in writes:
                sock.sendall(w)
            return reader.call_response(decode)
    else:
        def call():
            sock.sendall(joined[0])
            return reader.call_response(decode)

    now = time.perf_counter
    end_warmup = now() + args.warmup
    while now() < end_warmup:
        call()
    samples = []
    cpu0 = time.process_time()
    start = now()
    end = start + args.seconds
    t = start
    while t < end:
        call()
        t1 = now()
        samples.append(t1 - t)
        t = t1
    elapsed = t - start
    cpu = time.process_time() - cpu0
    sock.close()
    samples.sort()
    us = lambda s: round(s * 1e6, 1)
    print(json.dumps({
        "bench": "yaq",
        "loop": "python-yaqc-like",
        "params": {"mode": "stock" if stock else "nodelay", "message": args.message,
                   "seconds": args.seconds, "warmup": args.warmup,
                   "python": sys.version.split()[0]},
        "results": {
            "calls": len(samples),
            "calls_per_s": round(len(samples) / elapsed, 1) if elapsed > 0 else 0,
            "latency_us_p50": us(percentile(samples, 50)),
            "latency_us_p99": us(percentile(samples, 99)),
            "latency_us_max": us(samples[-1]) if samples else None,
            "client_cpu_share": round(cpu / elapsed, 3) if elapsed > 0 else None,
        },
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
