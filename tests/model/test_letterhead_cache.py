"""The letterhead remembered per process (``cached_letterhead``): used again only while its
file and every file it names are unchanged, never for a file that was just written."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from medieninfo.errors import InputError
from medieninfo.model import letterhead as module
from medieninfo.model.letterhead import cached_letterhead

ROOT = Path(__file__).resolve().parents[2]
MUSTERSTADT = ROOT / "examples" / "musterstadt"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (a test cannot wait a second for each): the clock
    rule has its own test below."""
    monkeypatch.setattr(module, "SETTLED_SECONDS", -1.0)
    monkeypatch.setattr(module, "_loaded", {})


def _copy(folder: Path) -> Path:
    for name in ("letterhead.toml", "logo.png"):
        shutil.copy(MUSTERSTADT / name, folder / name)
    return folder / "letterhead.toml"


def test_an_unchanged_letterhead_is_loaded_once(tmp_path: Path, settled: None) -> None:
    path = _copy(tmp_path)
    assert cached_letterhead(path) is cached_letterhead(path)


def test_an_edited_letterhead_is_read_again_between_two_renders(
    tmp_path: Path, settled: None
) -> None:
    path = _copy(tmp_path)
    first = cached_letterhead(path)
    text = path.read_text(encoding="utf-8")
    # The same size and modification time: only the inode's change time tells them apart.
    edited = text.replace("Gemeinde Musterstadt", "Gemeinde Musterdorf!")
    assert len(edited) == len(text)
    info = path.stat()
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    second = cached_letterhead(path)
    assert (first.organisation, second.organisation) == (
        "Gemeinde Musterstadt",
        "Gemeinde Musterdorf!",
    )


def test_a_replaced_logo_is_read_again(tmp_path: Path, settled: None) -> None:
    path = _copy(tmp_path)
    first = cached_letterhead(path)
    Image.new("RGB", (40, 20), "red").save(tmp_path / "new.png")
    os.replace(tmp_path / "new.png", tmp_path / "logo.png")  # as an editor saves
    second = cached_letterhead(path)
    assert first.logo_pixels != second.logo_pixels == (40, 20)


def test_a_letterhead_broken_after_it_was_remembered_is_reported(
    tmp_path: Path, settled: None
) -> None:
    path = _copy(tmp_path)
    cached_letterhead(path)
    path.write_text('organisation = "Nur ein Name"\n', encoding="utf-8")
    with pytest.raises(InputError, match="sidebar"):
        cached_letterhead(path)
    with pytest.raises(InputError, match="sidebar"):  # problems are never remembered
        cached_letterhead(path)


def test_a_letterhead_written_just_now_is_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "_loaded", {})
    path = _copy(tmp_path)  # written now: within SETTLED_SECONDS of the load
    assert cached_letterhead(path) is not cached_letterhead(path)
    assert module._loaded == {}


def test_a_relative_path_is_remembered_per_current_folder(
    tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        _copy(tmp_path / name)
    (tmp_path / "b" / "letterhead.toml").write_text(
        (tmp_path / "b" / "letterhead.toml")
        .read_text(encoding="utf-8")
        .replace("Musterstadt", "Beispielheim"),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path / "a")
    first = cached_letterhead(Path("letterhead.toml"))
    monkeypatch.chdir(tmp_path / "b")
    second = cached_letterhead(Path("letterhead.toml"))
    assert (first.organisation, second.organisation) == (
        "Gemeinde Musterstadt",
        "Gemeinde Beispielheim",
    )


def test_the_cache_is_bounded(tmp_path: Path, settled: None) -> None:
    for index in range(module.CACHED_LETTERHEADS + 3):
        folder = tmp_path / str(index)
        folder.mkdir()
        cached_letterhead(_copy(folder))
    assert len(module._loaded) == module.CACHED_LETTERHEADS
    # The oldest went first.
    assert str(tmp_path / "0" / "letterhead.toml") not in {key for key, _ in module._loaded}


def test_a_batch_task_after_an_edit_renders_the_new_letterhead(
    tmp_path: Path, settled: None
) -> None:
    from medieninfo.app.batch import plan, render_task

    from conftest import pdf_pages

    path = _copy(tmp_path)
    release = (MUSTERSTADT / "release.yaml").read_text(encoding="utf-8")
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(release, encoding="utf-8")
    first, second = plan([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert render_task(first).status == "rendered"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Erika Mustermann (", "Max Mustermann ("),
        encoding="utf-8",
    )
    assert render_task(second).status == "rendered"
    text_a, text_b = (" ".join(pdf_pages(tmp_path / f"{n}.pdf")) for n in ("a", "b"))
    # The sidebar's line (the release's own contact names Erika Mustermann too).
    assert "Erika Mustermann (verantwortlich)" in text_a
    assert "Erika Mustermann (verantwortlich)" not in text_b
    assert "Max Mustermann (verantwortlich)" in text_b
