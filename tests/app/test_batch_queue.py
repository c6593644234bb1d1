"""A batch worker holds its next task while it renders one (``batch._AHEAD``): a task queued
behind one whose worker dies or runs over time is rendered by another worker, never lost,
and a worker collects young objects less often than Python's default."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from medieninfo.app import batch
from medieninfo.app.batch import Outcome, Task, render_batch


def _tasks(tmp_path: Path, names: list[str]) -> list[Task]:
    return [Task(tmp_path / f"{name}.yaml", tmp_path / f"{name}.pdf") for name in names]


def _fake(behaviour: dict[str, str]):
    """A stand-in for the worker's render: dies, sleeps or reports its collector's threshold,
    as ``behaviour`` says for the task's name (forked workers inherit it)."""

    def render(task: Task, **_: object) -> tuple[Outcome, None]:
        what = behaviour.get(task.source.stem, "")
        if what == "die":
            os._exit(3)
        if what == "sleep":
            time.sleep(30)
        threshold = str(gc.get_threshold()[0])
        return Outcome(task.source, task.target, "rendered", messages=(threshold,)), None

    return render


@pytest.mark.parametrize("how", ["die", "sleep"])
def test_the_task_queued_behind_a_lost_one_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(batch, "_render_task", _fake({"a": how}))
    tasks = _tasks(tmp_path, ["a", "b", "c", "d"])
    summary = render_batch(tasks, force=True, workers=1, timeout=1.0)
    status = {outcome.source.stem: outcome.status for outcome in summary.outcomes}
    assert status == {"a": "failed", "b": "rendered", "c": "rendered", "d": "rendered"}
    assert len(summary.outcomes) == 4
    failed = next(o for o in summary.outcomes if o.status == "failed")
    expected = "renderer died" if how == "die" else "took longer than"
    assert expected in failed.messages[0]


def test_a_worker_collects_young_objects_less_often(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "_render_task", _fake({}))
    before = gc.get_threshold()
    summary = render_batch(_tasks(tmp_path, ["a", "b", "c"]), force=True, workers=2)
    assert {o.messages for o in summary.outcomes} == {(str(batch._WORKER_YOUNG),)}
    assert gc.get_threshold() == before  # the parent's own is left as it was


def test_a_next_task_is_queued_only_while_every_worker_can_get_one(tmp_path: Path) -> None:
    pool = batch._Pool(2, letterhead=None, timeout=None, pdf=False)
    one, two = _tasks(tmp_path, ["a", "b"])
    assert pool._wants(batch._Worker(None, None), left=1)
    assert pool._wants(batch._Worker(None, None, queued=[one]), left=2)
    assert not pool._wants(batch._Worker(None, None, queued=[one]), left=1)  # the tail
    assert not pool._wants(batch._Worker(None, None, queued=[one, two]), left=50)
