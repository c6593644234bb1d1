"""``medieninfo watch`` in a subprocess: re-renders on save, survives a broken file, and
never outlives its test (the ``watcher`` fixture, from ``tests/watching.py``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, MINIMAL, pdf_pages, run_cli
from watching import WAIT, Watcher, group_members, processes_mentioning

StartWatcher = Callable[..., Watcher]


def test_watch_rerenders_a_saved_release_and_survives_a_broken_one(
    tmp_path: Path, watcher: StartWatcher
) -> None:
    source = tmp_path / "release.yaml"
    source.write_text(MINIMAL)
    pdf = tmp_path / "release.pdf"
    watch = watcher(tmp_path)
    watch.expect("release.pdf (1 page)")
    assert "Eine Überschrift" in pdf_pages(pdf)[0]

    source.write_text(MINIMAL.replace("Eine Überschrift", "Neue Fassung"))
    watch.expect("release.pdf (1 page)")
    assert "Neue Fassung" in pdf_pages(pdf)[0]

    source.write_text("date: 2022-04-28\nheadline: Kaputt\nnumber: drei\nbody: x\n")
    line = watch.expect("release.yaml:3:")
    assert "number" in line
    assert watch.process.poll() is None, "watch ended on a broken file"
    assert "Neue Fassung" in pdf_pages(pdf)[0], "the good PDF was replaced"

    # Fixed again: back to work without a restart.
    source.write_text(MINIMAL.replace("Eine Überschrift", "Wieder gut"))
    watch.expect("release.pdf (1 page)")
    assert "Wieder gut" in pdf_pages(pdf)[0]

    assert watch.interrupt() == 130  # Ctrl-C ends it, with the shell's code for that
    assert "Traceback" not in "".join(watch.rest())


def test_watch_rerenders_when_the_letterhead_is_saved(
    tmp_path: Path, watcher: StartWatcher
) -> None:
    for name in ("release.yaml", "letterhead.toml", "logo.png"):
        shutil.copyfile(EXAMPLES / "musterstadt" / name, tmp_path / name)
    watch = watcher(tmp_path / "release.yaml")
    watch.expect("release.pdf")
    letterhead = tmp_path / "letterhead.toml"
    letterhead.write_text(
        letterhead.read_text("utf-8").replace("Gemeinde Musterstadt", "Stadt Neuheim"),
        encoding="utf-8",
    )
    watch.expect("release.pdf")
    assert "Stadt Neuheim" in pdf_pages(tmp_path / "release.pdf")[0]


def test_watch_passes_option_ends_by_itself(tmp_path: Path) -> None:
    (tmp_path / "release.yaml").write_text(MINIMAL)
    result = run_cli("watch", tmp_path, "--passes", "2", "--interval", "0.01")
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "release.pdf").exists()


# --------------------------------------------------------------------------- no orphans

# A test session of its own: a watch test that fails, then one that hangs until its pytest
# is killed from outside (as a CI timeout kills it: no teardown runs). Each test writes its
# watcher's pid to a file named after the test once the watcher has rendered.
_INNER = """
import os, time
from pathlib import Path

MINIMAL = {minimal!r}


def _started(watcher, tmp_path, name):
    (tmp_path / "release.yaml").write_text(MINIMAL)
    watch = watcher(tmp_path)
    watch.expect("release.pdf (1 page)")
    Path(os.environ["WATCH_PIDS"], name).write_text(str(watch.process.pid))


def test_fails(watcher, tmp_path):
    _started(watcher, tmp_path, "fails")
    assert False, "failed on purpose"


def test_hangs(watcher, tmp_path):
    _started(watcher, tmp_path, "hangs")
    time.sleep(3600)
"""


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists():
        assert process.poll() is None, f"the inner session ended early ({process.returncode})"
        assert time.monotonic() < deadline, f"{path.name} never came"
        time.sleep(0.05)


def _left_behind(marker: str) -> list[int]:
    """Processes whose command line contains ``marker`` after a moment to end, found in
    /proc and, where installed, by ``pgrep -f``; killed, so that a failing check does not
    leave them behind either."""
    for _ in range(100):
        left = set(processes_mentioning(marker))
        if shutil.which("pgrep"):
            found = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
            left |= {int(pid) for pid in found.stdout.split()} - {os.getpid()}
        if not left:
            return []
        time.sleep(0.05)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return sorted(left)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG, /proc: Linux")
def test_no_watcher_outlives_a_failed_or_killed_test(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(_INNER.format(minimal=MINIMAL))
    pids, basetemp = tmp_path / "pids", tmp_path / "inner-tmp"
    pids.mkdir()
    tests = str(Path(__file__).resolve().parents[1])
    command = [sys.executable, "-m", "pytest", "-p", "watching", "-p", "no:cacheprovider"]
    log = (tmp_path / "inner.log").open("wb")
    inner = subprocess.Popen(
        [*command, "-v", f"--basetemp={basetemp}", "test_inner.py"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": tests, "WATCH_PIDS": str(pids)},
    )
    try:
        _wait_for(pids / "hangs", inner)
        # The failed test's teardown has run: its watcher and its group are gone.
        assert _left_behind(str(basetemp / "test_fails0")) == []
        assert processes_mentioning(str(basetemp / "test_hangs0")), "the second watcher runs"
        inner.send_signal(signal.SIGKILL)
        inner.wait(timeout=WAIT)
    finally:
        if inner.poll() is None:
            inner.kill()
            inner.wait()
        log.close()
    # No teardown ran in the killed session; the kernel ended its watcher all the same.
    assert _left_behind(str(basetemp)) == []
    for name in ("fails", "hangs"):
        assert group_members(int((pids / name).read_text())) == []
    output = (tmp_path / "inner.log").read_text()
    assert "test_inner.py::test_fails FAILED" in output, output
    assert "failed on purpose" not in output  # the summary never came: it was killed


def test_a_watcher_is_killed_at_its_deadline(tmp_path: Path, watcher: StartWatcher) -> None:
    # However the test hangs, the fixture's own timer ends the watcher (which, left alone,
    # would run for ever: SIGKILL is the only way it ends).
    (tmp_path / "release.yaml").write_text(MINIMAL)
    watch = watcher(tmp_path, deadline=1.0)
    assert watch.process.wait(timeout=WAIT) == -signal.SIGKILL
    assert group_members(watch.group) == []
