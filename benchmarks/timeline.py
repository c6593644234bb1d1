"""Where a batch's wall time goes, from the command's start to its end, for one folder.

    /tmp/bench/bin/python benchmarks/timeline.py DIR [--runs 3] [--jobs 2]

Runs ``medieninfo render DIR --force -q --jobs N`` in this process (as the command does,
the deferred patterns installed) with timers around the batch's steps, and prints the
milliseconds from the start of this script to each mark, and the parent's CPU time
then; the median of ``--runs`` fresh processes. The marks: imports done, planning, the
pool set up (ReportLab and the render stages imported), the warm-up before the forks,
the forks, the first, 50th and last output handed to the writer, the end. The time
before this script's first line (the interpreter starting) is not counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

# Run in a fresh process per measurement; prints JSON: [[label, wall ms, cpu ms], ...].
_ONE = r"""
import time
start = time.perf_counter()
import json, sys
marks = []

def mark(label):
    marks.append((label, (time.perf_counter() - start) * 1000, time.process_time() * 1000))

from medieninfo.app import batch, cli, deferred
deferred.install()
mark("imports")

def timed(owner, name, label):
    inner = getattr(owner, name)
    def wrapper(*args, **kwargs):
        result = inner(*args, **kwargs)
        mark(label)
        return result
    setattr(owner, name, wrapper)

timed(batch, "plan", "planned")
timed(batch._Pool, "__init__", "pool set up (ReportLab imported)")
timed(batch._Pool, "warm", "warmed up")
submit = batch._Writer.submit
count, last = [0], int(sys.argv[3])
def counted(self, *args):
    count[0] += 1
    if count[0] in (1, 50, last):
        mark(f"output {count[0]} handed to the writer")
    return submit(self, *args)
batch._Writer.submit = counted
forks = batch._Pool._start
def started(self):
    worker = forks(self)
    mark("worker forked")
    return worker
batch._Pool._start = started
sys.argv = ["medieninfo", "render", "-q", "--force", "--jobs", sys.argv[2], sys.argv[1]]
try:
    cli.main()
except SystemExit as exc:
    assert not exc.code, f"the batch failed ({exc.code})"
mark("end")
print(json.dumps(marks))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    count = len([*args.folder.glob("*.yaml"), *args.folder.glob("*.toml")])
    runs = []
    for _ in range(args.runs):
        done = subprocess.run(
            [sys.executable, "-c", _ONE, str(args.folder), str(args.jobs), str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    labels = [label for label, _, _ in runs[0]]
    print(f"{args.folder}: {count} releases, --jobs {args.jobs}, medians of {args.runs} runs")
    for index, label in enumerate(labels):
        wall = statistics.median(run[index][1] for run in runs)
        cpu = statistics.median(run[index][2] for run in runs)
        print(f"{wall:8.1f} ms  (parent CPU {cpu:6.1f} ms)  {label}")


if __name__ == "__main__":
    main()
