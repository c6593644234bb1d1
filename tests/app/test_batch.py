"""Whole folders through the CLI: discovery, one bad file, incremental runs, check --json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from medieninfo import __version__

from conftest import EXAMPLES, MINIMAL, pdf_pages, run_cli

BAD = "date: 2022-04-28\nheadline: Kaputt\nnumber: drei\nbody: Text.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three good releases (one using a letterhead file beside it) and one bad one."""
    root = tmp_path / "releases"
    (root / "musterstadt").mkdir(parents=True)
    (root / "one.yaml").write_text(MINIMAL.replace("Eine Überschrift", "Erste Meldung"))
    (root / "two.toml").write_text(
        'date = 2022-04-29\nheadline = "Zweite Meldung"\nbody = "Text."\n'
    )
    for name in ("release.yaml", "letterhead.toml", "logo.png"):
        shutil.copy(EXAMPLES / "musterstadt" / name, root / "musterstadt" / name)
    (root / "broken.yaml").write_text(BAD)
    return root


def _text(result) -> str:
    return result.stdout.decode() + result.stderr.decode()


def test_folder_renders_the_good_and_names_the_bad(folder: Path) -> None:
    result = run_cli("render", folder)
    output = _text(result)
    assert result.returncode == 1, output
    assert f"{folder / 'broken.yaml'}:3:" in output
    assert "\x1b" not in output, "escape codes in piped output"
    assert "Traceback" not in output
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.pdf")) == [
        "musterstadt/release.pdf",
        "one.pdf",
        "two.pdf",
    ]
    # The letterhead file was recognised as one, not rendered or reported as a bad release.
    assert "letterhead.toml" not in output
    assert "3 rendered, 0 skipped, 1 failed" in output
    assert "Gemeinde Musterstadt" in pdf_pages(folder / "musterstadt" / "release.pdf")[0]


def test_second_run_skips_up_to_date_pdfs(folder: Path) -> None:
    (folder / "broken.yaml").unlink()
    assert run_cli("render", folder).returncode == 0
    assert _creator(folder / "one.pdf") == f"medieninfo {__version__}"
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*.pdf")}
    result = run_cli("render", folder)
    assert result.returncode == 0, _text(result)
    assert "0 rendered, 3 skipped, 0 failed" in _text(result)
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*.pdf")} == before
    # Saving the letterhead makes its release stale, and only that one.
    (folder / "musterstadt" / "letterhead.toml").touch()
    result = run_cli("render", folder)
    assert "1 rendered, 2 skipped, 0 failed" in _text(result)
    assert "3 rendered" in _text(run_cli("render", folder, "--force"))


def _creator(pdf: Path) -> str:
    from pypdf import PdfReader

    return str(PdfReader(pdf).metadata.get("/Creator"))


def test_out_dir_keeps_the_folder_structure(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    result = run_cli("render", folder, "--out-dir", out, "--jobs", "2")
    assert result.returncode == 1
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "musterstadt/release.pdf",
        "one.pdf",
        "two.pdf",
    ]
    assert not list(folder.rglob("*.pdf"))


def test_quiet_prints_only_errors(folder: Path) -> None:
    result = run_cli("render", folder, "--quiet")
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines and all("broken.yaml" in line for line in lines), lines


def test_a_file_over_the_time_limit_fails_alone(folder: Path) -> None:
    # A limit no render can meet: each worker is killed and replaced, each file fails alone.
    (folder / "broken.yaml").unlink()
    result = run_cli("render", folder, "--jobs", "1", "--timeout", "0.001")
    output = _text(result)
    assert result.returncode == 1
    assert output.count("took longer than 0.001 s") == 3, output
    assert "0 rendered, 0 skipped, 3 failed" in output
    assert "Traceback" not in output


def test_check_json_on_a_folder(folder: Path) -> None:
    result = run_cli("check", folder, "--json")
    assert result.returncode == 1
    entries = json.loads(result.stdout)
    assert len(entries) == 4
    by_name = {Path(entry["file"]).name: entry for entry in entries}
    assert set(by_name) == {"one.yaml", "two.toml", "release.yaml", "broken.yaml"}
    bad = by_name["broken.yaml"]
    assert bad["ok"] is False and bad["errors"][0]["line"] == 3
    assert all(by_name[name]["ok"] for name in ("one.yaml", "two.toml", "release.yaml"))


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    result = run_cli("render", tmp_path)
    assert result.returncode == 1
    assert "no release files found" in result.stderr.decode()
