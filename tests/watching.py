"""``medieninfo watch`` as a test's child process that never outlives the test.

A pytest plugin (``pytest_plugins`` in the rootdir ``conftest.py``): the ``watcher`` fixture
starts ``python -m medieninfo watch ...`` in a session (and process group) of its own, so
that everything it starts can be ended with one ``killpg``. Three things end it:

- the fixture's teardown, whether the test passed, failed or raised: SIGINT to the group,
  as Ctrl-C would send it, then SIGKILL after a short grace; it then fails the test if any
  process of the group is still there;
- a deadline of its own (``DEADLINE``), a timer thread that kills the group if the test
  is still running then, whatever a timeout plugin does or does not do;
- the death of the test process itself (killed by a CI timeout, SIGKILL, a crash: no
  teardown runs): on Linux the watcher is started with ``PR_SET_PDEATHSIG``, so the
  kernel sends it SIGKILL when its parent dies.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: Seconds to wait for one line of output: a guard against a hung test, not a timing test.
WAIT = 60.0
#: Seconds after its start at which a watcher is killed, whatever the test is doing.
DEADLINE = 300.0
#: Seconds between SIGINT (the way ``watch`` ends) and SIGKILL at teardown.
GRACE = 2.0


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent() -> Callable[[], None]:
    """For ``preexec_fn``: have the kernel SIGKILL the child when this process ends (Linux).

    Everything is looked up here, in the parent: between fork and exec the child should
    only make the call, not import modules."""
    parent = os.getpid()
    prctl = None
    if sys.platform.startswith("linux"):
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl

    def preexec() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return preexec


def group_members(group: int) -> list[int]:
    """Live (not zombie) processes in process group ``group``, read from /proc; without
    /proc, ``[group]`` while the group can still be signalled (zombies included)."""
    if not Path("/proc/self/stat").exists():
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return []
        return [group]
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        # "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
        state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
        if int(pgrp) == group and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains ``text`` (as ``pgrep -f`` would find);
    Linux only (reads /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in command and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


class Watcher:
    """A running ``medieninfo watch`` whose standard error is read line by line."""

    def __init__(self, *args: str | os.PathLike[str], deadline: float = DEADLINE) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "medieninfo", "watch", *map(str, args), "--interval", "0.05"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # watch reports on standard error
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )
        self.group = self.process.pid  # a new session's leader leads its process group
        self.lines: queue.Queue[str | None] = queue.Queue()  # None: standard error ended
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._timer = threading.Timer(deadline, self._signal_group, args=(signal.SIGKILL,))
        self._timer.daemon = True
        self._timer.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, text: str) -> str:
        """The next line containing ``text``; fails if the process ends or none comes."""
        seen: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} in {WAIT} s; saw {seen}") from None
            if line is None:
                self.lines.put(None)  # for the next call too
                code = self.process.poll()
                raise AssertionError(f"watch ended ({code}) before {text!r}; saw {seen}")
            seen.append(line)
            if text in line:
                return line

    def rest(self) -> list[str]:
        """The lines read but not yet taken by :meth:`expect`."""
        out = []
        while not self.lines.empty():
            if (line := self.lines.get()) is not None:
                out.append(line)
        return out

    def interrupt(self) -> int:
        """Ctrl-C, as a terminal sends it (to the whole group); the exit code."""
        self._signal_group(signal.SIGINT)
        code = self.process.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        return code

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):  # nothing of the group left
            os.killpg(self.group, signum)

    def close(self) -> None:
        """End the watcher and everything in its group: SIGINT, then SIGKILL after
        :data:`GRACE` seconds; raises if a process of the group is still there."""
        self._timer.cancel()
        self._timer.join()  # no thread left behind: batch tests fork this process
        if self.process.poll() is None:
            self._signal_group(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=GRACE)
        self._signal_group(signal.SIGKILL)  # also anything it started, even if it has ended
        self.process.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)  # the group is gone, so its pipe ends
        assert not self._reader.is_alive(), "standard error still open: a process has it"
        if self.process.stderr is not None:
            self.process.stderr.close()
        for _ in range(100):  # SIGKILL is delivered at once; ending takes a moment
            if not (left := group_members(self.group)):
                return
            time.sleep(0.05)
        raise AssertionError(f"watcher group {self.group} left processes behind: {left}")


@pytest.fixture
def watcher() -> Iterator[Callable[..., Watcher]]:
    """Start ``medieninfo watch ARGS`` with ``watcher(*args)``; all of them end at teardown."""
    started: list[Watcher] = []

    def start(*args: str | os.PathLike[str], deadline: float = DEADLINE) -> Watcher:
        started.append(Watcher(*args, deadline=deadline))
        return started[-1]

    yield start
    problems = []
    for one in started:
        try:
            one.close()
        except Exception as exc:  # close the others all the same
            problems.append(exc)
    if problems:
        raise problems[0]
