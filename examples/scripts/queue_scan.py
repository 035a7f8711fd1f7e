#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Queue a scan on a Benchtop lab from Python, follow it, and read its file back.

    queue_scan.py --runs-port 36100 --stage-port 36001 [--host 127.0.0.1]
                  [--detector meter] [--start 0] [--stop 1] [--points 11]

The lab is served by `benchtopd --lab LAB` (docs/scripting.md): each device with a `port` as a
yaq daemon, and the lab's run queue as the daemon `benchtop-runs` on the `[benchtop]` table's
`runs_port`. This script

1. moves the stage (a device daemon of the same benchtopd) to where the scan starts, and waits
   until it is there;
2. queues a scan plan (TOML text, docs/runs.md) of that stage, measuring the detector at each
   point;
3. follows the run with get_status: points done, rate, time left;
4. prints the run's HDF5 file and reads it back with h5py (Debian's python3-h5py): the scanned
   positions and the readings.

It needs yaqc_like.py (Benchtop's bench/peers/yaqc_like.py, standard library only): beside this
script, on PYTHONPATH, or found in the Benchtop source tree this script is in.
Exit status: 0 when the run completed, 1 when it did not (or the plan was refused).
"""
import argparse
import pathlib
import sys
import time

try:
    import yaqc_like
except ImportError:  # run from a Benchtop source tree: examples/scripts/ -> bench/peers/
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench" / "peers"))
    import yaqc_like


def move_stage(stage, position):
    """Moves a has-position daemon and waits until it no longer is busy."""
    stage.call("set_position", position)
    while stage.call("busy"):
        time.sleep(0.05)
    return stage.call("get_position")


def follow(runs, uid):
    """Prints the run's progress until its queue item is finished; returns the item."""
    last = None
    while True:
        item = next((i for i in runs.call("get_queue") if i["uid"] == uid), None)
        status = runs.call("get_status")
        if status["uid"] == uid:
            line = (status["state"], status["point"])
            if line != last:
                last = line
                points = status["points"] if status["points"] >= 0 else "?"
                left = f"{status['seconds_left']:.1f} s left" if status["seconds_left"] >= 0 else "time left unknown"
                print(f"  {status['state']}: point {status['point']}/{points}, "
                      f"{status['rate']:.0f} points/s, {left}", flush=True)
        elif item is not None and item["state"] == "waiting":
            print(f"  waiting: {status['waiting']} plan(s) queued, another run going", flush=True)
        if item is None or item["state"] in ("done", "interrupted"):
            return item
        time.sleep(0.2)


def read_back(path):
    """Prints the scanned positions and the readings of a run's HDF5 file (docs/data-format.md)."""
    import h5py  # Debian: python3-h5py

    with h5py.File(path, "r") as f:
        entry = f[f.attrs["default"]]                 # /entry
        data = entry[entry.attrs["default"]]          # /entry/data, the NXdata
        axes = [str(a) for a in data.attrs["axes"]]   # ["stage"]
        signals = [str(data.attrs["signal"])]         # ["meter.voltage", ...]
        signals += [str(s) for s in data.attrs.get("auxiliary_signals", [])]
        columns = axes + signals
        print(f"{entry['num_points'][()]} points, exit_status {entry['exit_status'].asstr()[()]}")
        print("  ".join(f"{c:>16}" for c in columns))
        values = [data[c][:] for c in columns]
        for row in zip(*values):
            print("  ".join(cell(v) for v in row))


def cell(value):
    """A number as a table cell; an array column's value (a spectrum, [N, ...] in the file) by
    its shape."""
    shape = getattr(value, "shape", ())
    return f"{value:16.6g}" if shape == () else f"{'array ' + 'x'.join(map(str, shape)):>16}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1", help="where benchtopd serves (default: %(default)s)")
    ap.add_argument("--runs-port", type=int, required=True, help="the lab's [benchtop] runs_port")
    ap.add_argument("--stage-port", type=int, required=True, help="the stage device's port")
    ap.add_argument("--detector", default="meter", help="the lab's name of the sensor to read")
    ap.add_argument("--start", type=float, default=0.0)
    ap.add_argument("--stop", type=float, default=1.0)
    ap.add_argument("--points", type=int, default=11)
    args = ap.parse_args()

    # 1. A device of the lab, as a yaq daemon: its name in the lab, then a move.
    with yaqc_like.Client(args.host, args.stage_port) as stage:
        name = stage.call("id")["name"]
        print(f"{name} ({stage.kind}) at {stage.call('get_position'):g} {stage.call('get_units') or ''}")
        print(f"{name} moved to {move_stage(stage, args.start):g}")

    # 2. The run queue: queue a plan; it starts at once when nothing else runs.
    plan = f"""kind = "scan"
detectors = ["{args.detector}"]

[[axis]]
device = "{name}"
start = {args.start!r}
stop = {args.stop!r}
points = {args.points}

[metadata]
sample = "example"
comment = "queued by examples/scripts/queue_scan.py"
"""
    with yaqc_like.Client(args.host, args.runs_port) as runs:
        try:
            uid = runs.call("queue_plan", plan)
        except yaqc_like.YaqError as e:  # the plan's errors, FILE:LINE:COLUMN: ... each
            print(f"the plan was refused: {e}", file=sys.stderr)
            return 1
        print(f"queued run {uid}")

        # 3. Follow it.
        item = follow(runs, uid)
        if item is None:
            print(f"run {uid} left the queue", file=sys.stderr)
            return 1
        print(f"run {uid}: {item['exit_status']} ({item['reason']})")
        print(f"file: {item['file']}")

    # 4. Read the file back.
    if item["file"]:
        read_back(item["file"])
    return 0 if item["exit_status"] == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
