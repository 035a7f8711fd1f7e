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


def connect(host, port, stock):
    sock = socket.create_connection((host, port))
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
