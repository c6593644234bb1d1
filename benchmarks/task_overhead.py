"""What a batch task costs beyond the render itself, in one warm process.

    /tmp/bench/bin/python benchmarks/task_overhead.py [--releases 40] [--rounds 5]

Makes ``--releases`` different releases (bench.py's ``_releases``), renders each once to
warm the process, then for every release in turn takes the CPU time of
``batch.render_task`` (read, letterhead, records, up-to-date inputs, atomic write, the
outcome pickled as a worker sends it) and of ``render.render_release`` on the release
already loaded, alternating the two so that a noisy moment hits both. Prints the medians
and their difference: what a task costs on top of laying out the PDF (CPU; wall time adds
the waits for fsync). Where the build has ``batch._render_task(write=False)``, also what a
worker pays itself now that its parent writes the files: the render without the writing,
and its pickled message with the bytes.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import _releases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from medieninfo.app import batch
    from medieninfo.app.batch import plan, render_task
    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, render_release

    folder = Path(tempfile.mkdtemp(prefix="medieninfo-overhead-"))
    _releases(folder, args.releases)
    tasks = plan([folder])
    loaded = [load_release(task.source) for task in tasks]
    letterhead = letterhead_for(loaded[0])
    for task, release in zip(tasks, loaded, strict=True):  # warm: every headline shaped once
        render_task(task)
        render_release(release, letterhead)
    task_cpu: list[float] = []
    release_cpu: list[float] = []
    task_wall: list[float] = []
    release_wall: list[float] = []
    worker_cpu: list[float] = []
    worker = getattr(batch, "_render_task", None)
    for _ in range(args.rounds):
        for task, release in zip(tasks, loaded, strict=True):
            start, wall = time.process_time(), time.perf_counter()
            outcome = render_task(task)
            pickle.dumps(outcome)
            task_cpu.append(time.process_time() - start)
            task_wall.append(time.perf_counter() - wall)
            assert outcome.status == "rendered", outcome.messages
            start, wall = time.process_time(), time.perf_counter()
            render_release(release, letterhead)
            release_cpu.append(time.process_time() - start)
            release_wall.append(time.perf_counter() - wall)
            if worker is not None:
                start = time.process_time()
                pickle.dumps(worker(task, letterhead=None, timeout=None, write=False))
                worker_cpu.append(time.process_time() - start)
    for label, tasks_, releases_ in (
        ("cpu", task_cpu, release_cpu),
        ("wall", task_wall, release_wall),
    ):
        per_task, per_release = statistics.median(tasks_), statistics.median(releases_)
        print(
            f"{label}: render_task {per_task * 1000:.2f} ms, render_release "
            f"{per_release * 1000:.2f} ms, overhead {(per_task - per_release) * 1000:.2f} ms"
        )
    if worker_cpu:
        per_worker = statistics.median(worker_cpu) - statistics.median(release_cpu)
        print(f"cpu: a worker's own overhead (the parent writes) {per_worker * 1000:.2f} ms")


if __name__ == "__main__":
    main()
