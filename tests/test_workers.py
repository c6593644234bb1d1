"""Batch workers end with their parent, however it ends.

Each forked worker used to hold the other workers' pipe ends, so after ``kill -9`` of
``medieninfo render DIR`` (not of its process group) the workers waited on their pipes for
good, and anything waiting for the output to close (``$(…)``, a CI log) hung with them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.update(int(child) for child in children)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_no_worker_outlives_a_killed_parent(tmp_path: Path, how: signal.Signals) -> None:
    folder = tmp_path / "releases"
    folder.mkdir()
    for number in range(8):
        shutil.copyfile(EXAMPLES / "eu-mission.yaml", folder / f"r{number}.yaml")
    parent = subprocess.Popen(
        [sys.executable, "-m", "medieninfo", "render", str(folder), "--jobs", "2", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "the workers never started"
        parent.send_signal(how)
        parent.wait(10)
        time.sleep(1)
        left = {pid for pid in workers if _alive(pid)}
        assert not left, f"workers still running after their parent was killed: {left}"
        # And the pipe to the parent's output closes: nothing waiting on it hangs.
        parent.stdout.read()  # type: ignore[union-attr]
    finally:
        with_group = parent.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(with_group, signal.SIGKILL)
        parent.wait()


def test_workers_started_with_spawn_end_with_their_parent_too(tmp_path: Path) -> None:
    """The pool's start method is fork where it exists; spawn (macOS, Windows) must not need
    the inherited pipe ends, and the death signal is asked for in either case."""
    script = """
import os, sys, time, signal
from pathlib import Path
import multiprocessing
from medieninfo.app import batch
pool = batch._Pool(2, letterhead=None, timeout=None)
pool._context = multiprocessing.get_context("spawn")
workers = [pool._start() for _ in range(2)]
print(" ".join(str(w.process.pid) for w in workers), flush=True)
time.sleep(60)
"""
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        line = parent.stdout.readline().decode()  # type: ignore[union-attr]
        workers = {int(pid) for pid in line.split()}
        assert len(workers) == 2
        parent.kill()
        parent.wait(10)
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
