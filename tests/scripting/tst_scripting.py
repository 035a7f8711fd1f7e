#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Scripting Benchtop from Python over yaq (docs/scripting.md), against a real benchtopd.

    tst_scripting.py BENCHTOPD [unittest arguments]

Each test class starts `benchtopd --lab LAB` on a lab of simulated instruments, every daemon on
a free loopback port, with its own state and data folders, and talks to it with
bench/peers/yaqc_like.py's Client, as a script would:

- ExampleScript runs examples/scripts/queue_scan.py (the very file docs/scripting.md shows) and
  checks what it prints against the run's HDF5 file, read with h5py.
- ClientCodec calls device daemons and the run queue daemon with every kind of Avro value their
  messages take and give: records, maps, arrays, unions (ndarray records in them), enums of
  strings, defaults, positional and named arguments, and yaq error replies.
"""
import math
import os
import pathlib
import queue
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

SOURCE = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE / "bench" / "peers"))
import yaqc_like  # noqa: E402

EXAMPLE = SOURCE / "examples" / "scripts" / "queue_scan.py"
PYTHON = "/usr/bin/python3"
BENCHTOPD = None  # set from the command line
WAIT_S = 30.0


def free_ports(n):
    """n distinct loopback ports free now (bound together, then released)."""
    sockets = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_until(condition, what, timeout=WAIT_S):
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class Daemon:
    """benchtopd on a lab written into a temporary folder; its stderr collected line by line."""

    def __init__(self, lab_text_of_ports, port_names):
        self.dir = tempfile.TemporaryDirectory(prefix="tst_scripting-")
        root = pathlib.Path(self.dir.name)
        self.data = root / "data"
        self.ports = dict(zip(port_names, free_ports(len(port_names))))
        self.lab = root / "lab.toml"
        self.lab.write_text(lab_text_of_ports(self.ports, self.data))
        env = dict(os.environ, BENCHTOP_STATE_DIR=str(root / "state"))
        self.process = subprocess.Popen([BENCHTOPD, "--lab", str(self.lab)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.err = []
        threading.Thread(target=self._read, daemon=True).start()
        expected = {f"on 127.0.0.1:{p}" for p in self.ports.values()}
        end = time.monotonic() + WAIT_S
        while expected:
            try:
                line = self.lines.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                self.close()
                raise AssertionError("benchtopd did not serve every port:\n" + "".join(self.err))
            if line is None:
                raise AssertionError("benchtopd exited:\n" + "".join(self.err))
            expected = {e for e in expected if not line.rstrip().endswith(e)}

    def _read(self):
        for line in self.process.stderr:
            self.err.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.dir.cleanup()


def scan_lab(ports, data):
    return f"""[benchtop]
runs_port = {ports["runs"]}
data_dir = "{data}"

[stage]
driver = "sim-motor"
instant = true
port = {ports["stage"]}

[meter]
driver = "sim-sensor"
integration_ms = 1
port = {ports["meter"]}

[spectrometer]
driver = "sim-sensor"
integration_ms = 0
points = 4
"""


class ExampleScript(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(scan_lab, ["runs", "stage", "meter"])

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def test_queue_scan_queues_follows_and_reads_back(self):
        ports = self.daemon.ports
        run = subprocess.run([PYTHON, str(EXAMPLE), "--runs-port", str(ports["runs"]),
                              "--stage-port", str(ports["stage"]), "--start", "0.5", "--stop", "2.5",
                              "--points", "5"],
                             capture_output=True, text=True, timeout=120)
        out = run.stdout
        self.assertEqual(run.returncode, 0, out + run.stderr)
        self.assertRegex(out, r"(?m)^stage \(sim-motor\) at -?[\d.]+ mm$")
        self.assertIn("stage moved to 0.5", out)
        uid = re.search(r"^queued run (\S+)$", out, re.M).group(1)
        self.assertRegex(out, r"point \d+/5, \d+ points/s")
        self.assertIn(f"run {uid}: success (completed)", out)
        path = re.search(r"^file: (.+)$", out, re.M).group(1)
        self.assertTrue(path.startswith(str(self.daemon.data)), path)
        self.assertTrue(path.endswith(".h5"), path)

        import h5py
        with h5py.File(path, "r") as f:
            entry = f["entry"]
            self.assertEqual(entry["entry_identifier"].asstr()[()], uid)
            data = entry["data"]
            positions = list(data["stage"][:])
            readings = list(data[data.attrs["signal"]][:])
            self.assertIn("sample = \"example\"", entry["plan/data"][()].decode())
        self.assertEqual(positions, [0.5, 1.0, 1.5, 2.0, 2.5])
        self.assertTrue(all(math.isfinite(r) for r in readings), readings)

        # What it printed is the file: a header naming the columns, then a row per point.
        lines = out.splitlines()
        header = lines.index("5 points, exit_status success") + 1
        self.assertEqual(lines[header].split()[0], "stage")
        rows = [[float(v) for v in l.split()] for l in lines[header + 1:]]
        self.assertEqual([r[0] for r in rows], positions)
        for row, reading in zip(rows, readings):
            self.assertAlmostEqual(row[1], reading, delta=abs(reading) * 1e-5 + 1e-9)

    def test_spectra_are_printed_by_their_shape(self):
        ports = self.daemon.ports
        run = subprocess.run([PYTHON, str(EXAMPLE), "--runs-port", str(ports["runs"]),
                              "--stage-port", str(ports["stage"]), "--detector", "spectrometer",
                              "--points", "3"],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        rows = run.stdout.splitlines()[-3:]
        self.assertEqual([r.split()[0] for r in rows], ["0", "0.5", "1"])
        self.assertTrue(all("array 4" in r for r in rows), rows)

    def test_a_refused_plan_is_said_and_exits_1(self):
        ports = self.daemon.ports
        run = subprocess.run([PYTHON, str(EXAMPLE), "--runs-port", str(ports["runs"]),
                              "--stage-port", str(ports["stage"]), "--detector", "metre"],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertIn("the plan was refused", run.stderr)
        self.assertIn("meter", run.stderr)  # did you mean


def codec_lab(ports, data):
    return f"""[benchtop]
runs_port = {ports["runs"]}
data_dir = "{data}"

[stage]
driver = "sim-motor"
instant = true
limits = [-5.0, 5.0]
out_of_limits = "error"
port = {ports["stage"]}

[spectrometer]
driver = "sim-sensor"
integration_ms = 0
points = 8
wavelengths_nm = [400.0, 470.0]
port = {ports["spectrometer"]}

[wheel]
driver = "sim-filter-wheel"
slots = ["open", "red", "green"]
seconds_per_slot = 0.001
port = {ports["wheel"]}
"""


class ClientCodec(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon(codec_lab, ["runs", "stage", "spectrometer", "wheel"])

    @classmethod
    def tearDownClass(cls):
        cls.daemon.close()

    def client(self, name):
        c = yaqc_like.Client("127.0.0.1", self.daemon.ports[name])
        self.addCleanup(c.close)
        return c

    def test_a_motor_takes_doubles_and_answers_maps_arrays_and_errors(self):
        stage = self.client("stage")
        self.assertEqual(stage.kind, "sim-motor")
        ident = stage.call("id")  # map<[null, string]>
        self.assertEqual(ident["name"], "stage")
        self.assertTrue(all(v is None or isinstance(v, str) for v in ident.values()), ident)
        self.assertIn("has-position", stage.call("get_traits"))  # array<string>
        self.assertEqual(stage.call("get_limits"), [-5.0, 5.0])  # array<double>
        stage.call("set_position", 1.25)  # positional
        wait_until(lambda: not stage.call("busy"), "the stage to stop")
        self.assertEqual(stage.call("get_position"), 1.25)
        stage.set_position(position=-2)  # by name, an int for a double
        wait_until(lambda: not stage.busy(), "the stage to stop")
        self.assertEqual(stage.get_position(), -2.0)
        self.assertEqual(stage.get_destination(), -2.0)

        with self.assertRaises(yaqc_like.YaqError) as refused:
            stage.call("set_position", 50.0)
        self.assertEqual(refused.exception.call, "set_position")
        self.assertRegex(str(refused.exception), r"50|limit")
        self.assertEqual(stage.call("get_position"), -2.0)  # the connection goes on after it
        with self.assertRaises(ValueError):
            stage.call("no_such_message")
        with self.assertRaises(TypeError):
            stage.call("set_position", "far")
        with self.assertRaises(TypeError):
            stage.call("set_position")

    def test_a_spectrometer_answers_ndarray_records_in_unions(self):
        spectrometer = self.client("spectrometer")
        names = spectrometer.call("get_channel_names")
        shapes = spectrometer.call("get_channel_shapes")  # map<array<int>>
        self.assertTrue(names)
        self.assertEqual(shapes[names[0]], [8])
        units = spectrometer.call("get_channel_units")  # map<[null, string]>
        self.assertEqual(set(units), set(names))
        measurement = spectrometer.call("measure")  # loop = false: its default
        self.assertIsInstance(measurement, int)
        measured = wait_until(
            lambda: (m := spectrometer.call("get_measured"))["measurement_id"] >= measurement and m,
            "the measurement")
        spectrum = measured[names[0]]  # a union branch: the ndarray record
        self.assertEqual(sorted(spectrum), ["data", "shape", "typestr", "version"])
        values = yaqc_like.ndarray_to_list(spectrum)
        self.assertEqual(len(values), 8)
        self.assertTrue(all(isinstance(v, float) for v in values))
        mappings = spectrometer.call("get_mappings")  # map<[null, ndarray, double]>
        wavelengths = yaqc_like.ndarray_to_list(next(iter(mappings.values())))
        self.assertAlmostEqual(wavelengths[0], 400.0)
        self.assertAlmostEqual(wavelengths[-1], 470.0)

    def test_a_wheel_takes_strings_and_answers_a_map_of_doubles(self):
        wheel = self.client("wheel")
        identifiers = wheel.call("get_position_identifiers")  # map<double>
        self.assertEqual(set(identifiers), {"open", "red", "green"})
        wheel.call("set_identifier", "green")
        self.assertTrue(all(isinstance(v, float) for v in identifiers.values()), identifiers)
        wait_until(lambda: wheel.call("get_identifier") == "green", "the wheel at green")
        with self.assertRaises(TypeError):
            wheel.call("set_identifier", 2)
        with self.assertRaises(yaqc_like.YaqError):
            wheel.call("set_identifier", "blue")
        self.assertEqual(wheel.get_identifier(), "green")

    def test_the_run_queue_takes_plans_and_answers_records(self):
        runs = self.client("runs")
        self.assertEqual(runs.kind, "benchtop-runs")
        status = runs.call("get_status")  # the run_status record
        self.assertEqual(list(status), ["state", "uid", "point", "points", "file", "rate",
                                        "seconds_left", "message", "waiting"])
        self.assertEqual(status["state"], "idle")
        self.assertIsInstance(status["rate"], float)
        self.assertIsInstance(status["points"], int)
        self.assertFalse(runs.busy())

        long_count = 'kind = "count"\ndetectors = ["spectrometer"]\npoints = 100000\ndelay_s = 0.01\n'
        first = runs.call("queue_plan", long_count)  # position: its default, -1
        wait_until(lambda: runs.call("get_status")["state"] == "running", "the first run")
        self.assertTrue(runs.call("busy"))
        second = runs.call("queue_plan", long_count, -1)
        third = runs.call("queue_plan", plan=long_count, position=0)  # by name: first in line
        waiting = lambda: [i["uid"] for i in runs.call("get_queue") if i["state"] == "waiting"]
        self.assertEqual(waiting(), [third, second])
        runs.call("move", third, 1)
        self.assertEqual(waiting(), [second, third])
        runs.call("remove", second)
        marker = runs.call("add_stop_marker")  # position = -1: last
        self.assertEqual(waiting(), [third, marker])
        marker_item = next(i for i in runs.call("get_queue") if i["uid"] == marker)  # map<string>
        self.assertEqual(marker_item["kind"], "stop")
        self.assertTrue(all(isinstance(v, str) for v in marker_item.values()), marker_item)
        runs.call("move", marker, 0)
        self.assertEqual(waiting(), [marker, third])

        with self.assertRaises(yaqc_like.YaqError) as refused:
            runs.call("remove", "no-such-uid")
        self.assertIn("no waiting item no-such-uid", str(refused.exception))
        with self.assertRaises(yaqc_like.YaqError) as refused:
            runs.call("queue_plan", 'kind = "count"\ndetectors = ["spectrometr"]\n')
        self.assertIn("spectrometer", str(refused.exception))  # did you mean

        runs.call("pause")  # now = false
        wait_until(lambda: runs.call("get_status")["state"] == "paused", "the pause")
        runs.call("resume")
        wait_until(lambda: runs.call("get_status")["state"] == "running", "the resume")
        runs.call("pause", now=True)
        wait_until(lambda: runs.call("get_status")["state"] == "paused", "the pause now")
        runs.call("stop")
        finished = lambda uid: next((i for i in runs.call("get_queue")
                                     if i["uid"] == uid and i["state"] not in ("waiting", "running")), None)
        first_item = wait_until(lambda: finished(first), "the stopped run")
        self.assertEqual((first_item["exit_status"], first_item["reason"]), ("success", "stopped"))
        # The stop marker held the queue: the third plan waits, nothing runs.
        wait_until(lambda: not runs.call("busy"), "the queue to stop")
        self.assertEqual(waiting(), [third])
        runs.call("start_queue")
        wait_until(lambda: runs.call("get_status")["uid"] == third
                   and runs.call("get_status")["state"] == "running", "the third run")
        runs.call("abort")
        self.assertEqual(wait_until(lambda: finished(third), "the aborted run")["exit_status"], "abort")
        self.assertEqual(waiting(), [])


class SchemasAlone(unittest.TestCase):
    """The Avro types no Benchtop message uses today (enum, fixed, float, boolean unions,
    record defaults, negative and large longs, multi-block arrays), encoded and decoded back."""

    def roundtrip(self, schemas, schema, value):
        data = schemas.encode(schema, value)
        reader = yaqc_like.Reader(None)
        reader.data = bytearray(data)
        decoded = schemas.decode(schema, reader)
        self.assertEqual(reader.pos, len(data))  # every byte read, no more
        return data, decoded

    def test_every_type_round_trips(self):
        point = {"type": "record", "name": "point", "namespace": "lab", "fields": [
            {"name": "axis", "type": {"type": "enum", "name": "axis", "symbols": ["x", "y", "z"]}},
            {"name": "at", "type": "double"},
            {"name": "weight", "type": "float", "default": 1},
            {"name": "tag", "type": {"type": "fixed", "name": "tag", "size": 4}},
            {"name": "note", "type": ["null", "string"], "default": None},
            {"name": "ok", "type": "boolean", "default": True},
        ]}
        schemas = yaqc_like.Schemas([point])
        schema = {"type": "map", "values": {"type": "array", "items": ["null", "lab.point", "long"]}}
        value = {"a": [None, {"axis": "y", "at": -0.5, "weight": 0.25, "tag": b"abcd",
                              "note": "n", "ok": False}, -(1 << 62), 7],
                 "b": []}
        data, decoded = self.roundtrip(schemas, schema, value)
        self.assertEqual(decoded, value)
        # The record's defaults fill what a value leaves out.
        _, decoded = self.roundtrip(schemas, "point", {"axis": "z", "at": 1, "tag": b"wxyz"})
        self.assertEqual(decoded, {"axis": "z", "at": 1.0, "weight": 1.0, "tag": b"wxyz",
                                   "note": None, "ok": True})
        # Bytes as Avro writes them: zig-zag lengths, an enum's index, an empty map as 00.
        self.assertEqual(schemas.encode({"type": "map", "values": "int"}, {}), b"\x00")
        self.assertEqual(schemas.encode("axis", "z"), b"\x04")
        self.assertEqual(schemas.encode("long", -1), b"\x01")
        self.assertEqual(schemas.encode(["null", "double"], 2), b"\x02" + struct.pack("<d", 2.0))
        for bad_schema, bad_value in [("int", 1 << 31), ("axis", "w"), ("tag", b"abc"),
                                      ("boolean", 1), ("string", b"x"), (["null", "int"], 1.5)]:
            with self.assertRaises((TypeError, ValueError), msg=f"{bad_schema} {bad_value!r}"):
                schemas.encode(bad_schema, bad_value)

    def test_blocks_with_sizes_are_read(self):
        # A writer may give a block's count negative, followed by its size in bytes.
        reader = yaqc_like.Reader(None)
        reader.data = bytearray(b"\x03\x04\x02\x04\x02\x06\x00")  # count -2, size 2, 1, 2; count 1: 3
        self.assertEqual(yaqc_like.Schemas().decode({"type": "array", "items": "int"}, reader), [1, 2, 3])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    BENCHTOPD = sys.argv.pop(1)
    unittest.main()
