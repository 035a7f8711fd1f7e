#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Checks Benchtop's run files from outside, with Debian's h5py, as a user's script reads them.

  check_runfile.py layout FILE.h5 PLAN LAB       the 3x4 snaked grid of tests/run/runsamples.h
  check_runfile.py swmr-reader FILE.h5 SECONDS   follows a file being written (swmr=True)
  check_runfile.py committed FILE.h5             prints the committed seq_num; checks each row

Exits 0 when every check holds, 1 with the failed check on stderr otherwise.
"""
import sys
import time

import h5py
import numpy as np


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def check_str_attr(node, name, value=None):
    got = node.attrs[name]
    expect(isinstance(got, str), f"{node.name}@{name} is {type(got).__name__}, not str")
    if value is not None:
        expect(got == value, f"{node.name}@{name} = {got!r}, expected {value!r}")


def grid_point(i):
    row = i // 4
    column = i % 4 if row % 2 == 0 else 3 - i % 4
    y = float(row)
    x = 10.0 + column
    return row, column, y, x


def layout(path, plan_path, lab_path):
    plan = open(plan_path, "rb").read()
    lab = open(lab_path, "rb").read()
    with h5py.File(path, "r") as f:
        check_str_attr(f, "NX_class", "NXroot")
        check_str_attr(f, "default", "entry")
        entry = f[f.attrs["default"]]
        check_str_attr(entry, "NX_class", "NXentry")
        check_str_attr(entry, "default", "data")
        data = entry[entry.attrs["default"]]
        check_str_attr(data, "NX_class", "NXdata")
        check_str_attr(data, "signal", "meter.voltage")
        axes = [str(a) for a in data.attrs["axes"]]
        expect(axes == ["stage-y", "stage-x"], f"@axes = {axes}")
        for axis in axes:
            expect(int(data.attrs[axis + "_indices"]) == 0, f"@{axis}_indices")
        expect(list(data.attrs["scan_shape"]) == [3, 4], f"@scan_shape = {data.attrs['scan_shape']}")

        expect(entry["entry_identifier"].asstr()[()] == "0b7e3c2a-8f51-4d7b-9a43-2f1f0c6d9e01",
               "entry_identifier")
        expect(entry["program_name"].asstr()[()] == "Benchtop", "program_name")
        check_str_attr(entry["program_name"], "version", "0.19.0")
        expect(entry["start_time"].asstr()[()].startswith("2027-01-15T08:00:00.000"),
               f"start_time {entry['start_time'].asstr()[()]}")
        expect(entry["end_time"].asstr()[()].startswith("2027-01-15T08:00:14.000"),
               f"end_time {entry['end_time'].asstr()[()]!r}")
        expect(abs(entry["duration"][()] - 14.0) < 1e-6, "duration")
        expect(entry["exit_status"].asstr()[()] == "success", "exit_status")
        expect(entry["exit_reason"].asstr()[()] == "completed", "exit_reason")
        expect(int(entry["num_points"][()]) == 12, "num_points")
        expect(entry["sample/name"].asstr()[()] == "Quartz ß", "sample/name")
        check_str_attr(entry["sample"], "NX_class", "NXsample")
        expect(entry["user/name"].asstr()[()] == "Ada", "user/name")
        expect(entry["title"].asstr()[()] != "", "title")
        expect(abs(entry["metadata/temperature_k"][()] - 293.5) < 1e-12, "metadata")

        # The plan and the lab, byte for byte.
        expect(entry["plan/data"][()] == plan, "plan text differs")
        expect(entry["lab/data"][()] == lab, "lab text differs")
        expect(entry["plan/file_name"].asstr()[()] == "/plans/grid.toml", "plan/file_name")

        # Every lab device under instrument, with what the descriptor said.
        instrument = entry["instrument"]
        check_str_attr(instrument, "NX_class", "NXinstrument")
        expect(sorted(instrument.keys()) == ["lamp", "meter", "stage-x", "stage-y", "wheel"],
               f"instrument has {sorted(instrument.keys())}")
        stage = instrument["stage-x"]
        expect(stage["driver"].asstr()[()] == "sim-motor", "driver")
        expect(list(stage["traits"].asstr()[:]) == ["has-position"], "traits")
        expect(stage["config/speed"][()] == 1000.0, "config/speed")
        expect(list(stage["config/channels"].asstr()[:]) == ["a", "b"], "config/channels")
        expect(list(stage["config/limits"][:]) == [-5.0, 5.0], "config/limits")
        expect(int(stage["config/link/port"][()]) == 36001, "config/link/port")
        expect(stage["state/position"][()] == 1.5, "state/position")
        expect(stage["identity/serial"].asstr()[()] == "0001", "identity/serial")

        # The points: N first, values as sent, in visit order; the grid reshapes.
        n = 12
        for name in ["stage-y", "stage-x", "meter.voltage", "meter.count", "wheel.slot",
                     "meter.ok", "seq_num", "time", "stage-y_index", "stage-x_index"]:
            expect(data[name].shape == (n,), f"{name} has shape {data[name].shape}")
        expect(data["meter.spectrum"].shape == (n, 5), f"spectrum {data['meter.spectrum'].shape}")
        check_str_attr(data["stage-x"], "units", "mm")
        check_str_attr(data["meter.voltage"], "units", "V")
        check_str_attr(data["time"], "units", "s")
        expect(list(data["seq_num"][:]) == list(range(1, n + 1)), "seq_num")
        choices = [str(c) for c in data["wheel.slot"].attrs["choices"]]
        expect(choices == ["open", "red", "blue"], f"choices {choices}")
        for i in range(n):
            row, column, y, x = grid_point(i)
            expect(data["stage-y"][i] == y and data["stage-x"][i] == x, f"point {i} position")
            expect(data["meter.voltage"][i] == x * 0.5 + y, f"point {i} voltage")
            expect(data["meter.count"][i] == i * i, f"point {i} count")
            expect(choices[data["wheel.slot"][i]] == ["open", "red", "blue"][i % 3], f"slot {i}")
            expect(list(data["meter.spectrum"][i]) == [i * 10.0 + k for k in range(5)], f"spectrum {i}")
            expect(bool(data["meter.ok"][i]) == (i % 2 == 0), f"ok {i}")
            expect(data["stage-y_index"][i] == row and data["stage-x_index"][i] == column,
                   f"index {i}")
            expect(data["time"][i] == 1.8e9 + 1 + i, f"time {i}")
        # Reshape by the index datasets: row r of the grid holds y = r, x = 10..13 in order.
        shape = tuple(data.attrs["scan_shape"])
        grid = np.full(shape, np.nan)
        grid[data["stage-y_index"][:], data["stage-x_index"][:]] = data["stage-x"][:]
        expect((grid == np.tile(np.arange(10.0, 14.0), (3, 1))).all(), f"reshaped x {grid}")
        visit = data["stage-x"][:].reshape(shape)
        expect(list(visit[1]) == [13.0, 12.0, 11.0, 10.0], f"snaked visit order {visit}")

        baseline = entry["baseline"]
        expect(list(baseline["seq_num"][:]) == [1, 2], "baseline seq_num")
        expect(list(baseline["lamp.power"][:]) == [2.5, 5.0], "baseline values")
        check_str_attr(baseline["lamp.power"], "units", "W")
        suspensions = entry["suspensions"]
        expect(suspensions["start"].shape == (1,), "one suspension")
        expect(suspensions["device"].asstr()[0] == "meter", "suspension device")
        expect(suspensions["reason"].asstr()[0] == "link lost", "suspension reason")
        expect(suspensions["end"][0] - suspensions["start"][0] == 1.5, "suspension length")
    print("layout OK")


def committed_rows(data):
    """The rows a reader may trust: those up to the last committed seq_num. A row's seq_num is
    written after its values; rows at the end whose seq_num is still the fill value 0 (a write
    that failed half-way, on a full disk) are not committed. Committed seq_nums have no gaps."""
    seq = data["seq_num"][:]
    n = len(seq)
    while n > 0 and seq[n - 1] == 0:
        n -= 1
    expect(list(seq[:n]) == list(range(1, n + 1)), f"seq_num has gaps or repeats: {seq[:n][-5:]}")
    for name, dataset in data.items():
        expect(dataset.shape[0] >= n, f"{name} has {dataset.shape[0]} rows < {n} seq_nums")
    return n


def check_counter_rows(data, start, end):
    """The counter runs of tests/run: every column is a function of seq_num."""
    if end <= start:
        return
    seq = data["seq_num"][start:end]
    bad = np.nonzero((data["value"][start:end] != seq * 0.5) | (data["square"][start:end] != seq * seq))[0]
    expect(len(bad) == 0, f"rows {list(bad[:5] + start)} are inconsistent")


def swmr_reader(path, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            f = h5py.File(path, "r", libver="latest", swmr=True)
            break
        except OSError:
            if time.monotonic() > deadline:
                fail("the file never opened with swmr=True")
            time.sleep(0.01)
    data = f["entry/data"]
    last = 0
    polls = 0
    seen_growth = 0
    latencies = []
    ended = False
    while time.monotonic() < deadline:
        for dataset in data.values():
            dataset.refresh()
        f["entry/exit_status"].refresh()
        n = committed_rows(data)
        expect(n >= last, f"rows shrank from {last} to {n}")
        if n > last:
            seen_growth += 1
            check_counter_rows(data, last, n)
            # How long after its time (when it was posted) each new point was seen; not the
            # points already there when the file opened.
            if polls > 0:
                latencies.extend(time.time() - data["time"][last:n])
        last = n
        polls += 1
        if f["entry/exit_status"].asstr()[()] != "":
            ended = True
            break
        time.sleep(0.01)
    expect(ended, f"the run did not end while read ({last} rows)")
    # Once the run has ended, every point is there: as many as num_points says.
    for dataset in data.values():
        dataset.refresh()
    f["entry/num_points"].refresh()
    n = committed_rows(data)
    check_counter_rows(data, last, n)
    expect(n == int(f["entry/num_points"][()]), f"{n} rows, num_points {f['entry/num_points'][()]}")
    last = n
    f.close()
    expect(seen_growth >= 3, f"saw the file grow only {seen_growth} times")
    p50, p99 = np.percentile(latencies, [50, 99]) * 1000 if latencies else (0, 0)
    print(f"swmr-reader OK: {last} rows, {polls} polls, grew {seen_growth} times; "
          f"a point seen {p50:.0f} ms (p50), {p99:.0f} ms (p99) after it was posted")


def committed(path, swmr):
    with h5py.File(path, "r", libver="latest", swmr=swmr) as f:
        data = f["entry/data"]
        n = committed_rows(data)
        check_counter_rows(data, 0, n)
        print(n, repr(float(data["time"][n - 1])) if n else "0")


def main():
    command = sys.argv[1]
    if command == "layout":
        layout(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "swmr-reader":
        swmr_reader(sys.argv[2], float(sys.argv[3]))
    elif command == "committed":
        committed(sys.argv[2], swmr=True)
    elif command == "committed-plain":
        committed(sys.argv[2], swmr=False)
    else:
        fail("unknown command " + command)


if __name__ == "__main__":
    main()
