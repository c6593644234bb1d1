"""``medieninfo watch``: one warm process that re-renders a release whenever it is saved.

The loop polls modification times (no new dependency, works on network drives and in
containers where inotify does not): each release's own file and every file its PDF depends
on (letterhead, logo, fonts). With the render stages imported once, a re-render takes tens
of milliseconds. Errors are reported and the loop goes on; nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from . import defaults
from .batch import OnOutcome, Outcome, Task, is_up_to_date, plan, render_task


def _signature(paths: Sequence[Path]) -> tuple[int | None, ...]:
    stamps: list[int | None] = []
    for path in paths:
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def watch(
    inputs: Sequence[Path],
    *,
    on_outcome: OnOutcome,
    out_dir: Path | None = None,
    letterhead: str | Path | None = None,
    interval: float = defaults.INTERVAL,
    timeout: float | None = None,
    formats: Sequence[str] = ("pdf",),
    iterations: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Render stale releases among ``inputs`` now, then each again whenever it or a file it
    depends on changes. Folders are searched again on every pass, so new files are picked
    up. Runs until interrupted, or for ``iterations`` passes (for tests)."""
    # Per release: the files it depends on, and their modification times at the last render.
    depends: dict[Path, tuple[Path, ...]] = {}
    seen: dict[Path, tuple[int | None, ...]] = {}
    passes = 0
    while iterations is None or passes < iterations:
        for task in plan(inputs, out_dir=out_dir, formats=formats):
            _visit(task, depends, seen, on_outcome, letterhead=letterhead, timeout=timeout)
        passes += 1
        if iterations is None or passes < iterations:
            sleep(interval)


def _visit(
    task: Task,
    depends: dict[Path, tuple[Path, ...]],
    seen: dict[Path, tuple[int | None, ...]],
    on_outcome: OnOutcome,
    *,
    letterhead: str | Path | None,
    timeout: float | None,
) -> None:
    files = depends.get(task.source, (task.source,))
    before = _signature(files)
    if task.source in seen and seen[task.source] == before:
        return
    if before[0] is None:  # deleted (or mid-save): wait for it to come back
        return
    first = task.source not in seen
    if first and letterhead is None and not task.error and is_up_to_date(task):
        outcome = Outcome(task.source, task.target, "skipped", targets=tuple(task.targets.values()))
        # Up to date, so its dependencies are those of a successful render: learn them now.
        depends[task.source] = _depends_of(task)
    else:
        outcome = render_task(task, letterhead=letterhead, timeout=timeout)
        depends[task.source] = outcome.depends or (task.source,)
    # Times taken before rendering, so a save during the render is seen on the next pass;
    # if the render found new dependencies (a letterhead), their times are taken now, and
    # before reporting: a save made in reaction to the report must count as a change.
    now = depends[task.source]
    seen[task.source] = before if now == files else _signature(now)
    on_outcome(outcome)


def _depends_of(task: Task) -> tuple[Path, ...]:
    from ..errors import MedieninfoError
    from ..render import dependencies

    try:
        return dependencies(task.source)
    except MedieninfoError:  # changed since the check: the next pass renders it
        return (task.source,)
