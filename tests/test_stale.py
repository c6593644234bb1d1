"""A PDF is up to date only if its record says it was made from the inputs as they are now.

The check used to compare modification times: a release saved while its PDF was being
rendered left the old PDF, and the PDF, written after the save, looked newer, so every later
run said "up to date". Now each input's stamp (modification time and size) is taken before
the render reads it and kept in a hidden record beside the PDF; the PDF's bytes stay those
of its inputs alone.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from medieninfo import render
from medieninfo.app.batch import Task, is_up_to_date
from medieninfo.output import record_path

from conftest import EXAMPLES, run_cli


@pytest.fixture
def release(tmp_path: Path) -> Path:
    path = tmp_path / "release.yaml"
    shutil.copyfile(EXAMPLES / "eu-mission.yaml", path)
    return path


def test_a_save_during_the_render_leaves_the_pdf_stale(
    release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = release.with_suffix(".pdf")
    original = render.render_outputs

    def save_meanwhile(*args: object, **kwargs: object) -> render.Rendered:
        rendered = original(*args, **kwargs)  # type: ignore[arg-type]
        # The editor saves while the PDF is being made: new text, an older-looking time.
        release.write_text(release.read_text().replace("Kommission", "Komission"))
        past = release.stat().st_mtime_ns - 10**9
        os.utime(release, ns=(past, past))
        return rendered

    monkeypatch.setattr(render, "render_outputs", save_meanwhile)
    render.render_file(target, source=release)
    assert target.stat().st_mtime_ns > release.stat().st_mtime_ns
    assert not is_up_to_date(Task(release, target))


def test_an_untouched_release_is_up_to_date_and_a_touched_one_not(release: Path) -> None:
    target = release.with_suffix(".pdf")
    render.render_file(target, source=release)
    task = Task(release, target)
    assert is_up_to_date(task)
    os.utime(release)
    assert not is_up_to_date(task)


def test_a_replaced_pdf_or_a_lost_record_is_rendered_again(release: Path) -> None:
    target = release.with_suffix(".pdf")
    render.render_file(target, source=release)
    task = Task(release, target)
    target.write_bytes(target.read_bytes() + b"\n")
    assert not is_up_to_date(task)
    render.render_file(target, source=release)
    assert is_up_to_date(task)
    record_path(target).unlink()
    assert not is_up_to_date(task)


def test_a_changed_letterhead_file_makes_the_pdf_stale(tmp_path: Path) -> None:
    folder = tmp_path / "musterstadt"
    shutil.copytree(EXAMPLES / "musterstadt", folder)
    release = next(p for p in folder.glob("*.yaml") if "letterhead" not in p.name)
    target = release.with_suffix(".pdf")
    render.render_file(target, source=release)
    task = Task(release, target)
    assert is_up_to_date(task)
    logo = next(p for p in folder.rglob("*.png"))
    logo.write_bytes(logo.read_bytes())  # same bytes, saved again
    os.utime(logo, ns=(1, 1))  # and with a time long before the PDF's
    assert not is_up_to_date(task)


def test_the_record_is_hidden_and_the_pdf_bytes_do_not_depend_on_it(
    release: Path, tmp_path: Path
) -> None:
    """Two copies of a release in two places render to the same bytes; the records differ
    (they name the files) and folder scans never take them for releases."""
    other = tmp_path / "copy" / "release.yaml"
    other.parent.mkdir()
    shutil.copyfile(release, other)
    os.utime(other, ns=(10**18, 10**18))
    first = render.render_file(release.with_suffix(".pdf"), source=release).pdf
    second = render.render_file(other.with_suffix(".pdf"), source=other).pdf
    assert first == second == release.with_suffix(".pdf").read_bytes()
    assert record_path(release.with_suffix(".pdf")).name.startswith(".")
    result = run_cli("render", tmp_path)
    assert result.returncode == 0
    assert "0 rendered, 2 skipped" in result.stderr.decode()
