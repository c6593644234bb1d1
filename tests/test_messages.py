"""Messages cannot be forged, and OS errors get messages of their own, never "internal error".

A file name may hold a newline (which would fake a second ``file:line:col`` line), an ANSI
escape (which would recolour the terminal) or bytes that are not UTF-8 (which made
``check --json`` fail under ``PYTHONIOENCODING=utf-8``); they print C-quoted, as git does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli

INVALID = "date: 2022-04-28\nheadline: Eine Überschrift\n"  # no body


def _clean(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text
    return text


def _named(folder: Path, name: bytes) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
    path.write_text(INVALID, encoding="utf-8")
    return path


def test_a_newline_in_a_file_name_cannot_fake_a_message(tmp_path: Path) -> None:
    _named(tmp_path, b"a.yaml:1:1: all is well\nb.yaml")
    result = run_cli("check", tmp_path)
    stderr = _clean(result)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert "a.yaml:1:1: all is well\\nb.yaml:1:1: missing required field 'body'" in lines[0]


def test_an_escape_sequence_in_a_file_name_is_printed_quoted(tmp_path: Path) -> None:
    _named(tmp_path, b"red\x1b[31mtext.yaml")
    result = run_cli("check", tmp_path)
    stderr = _clean(result)
    assert "\x1b" not in stderr
    assert "red\\x1b[31mtext.yaml:1:1: missing required field 'body'" in stderr


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    _named(tmp_path, b"caf\xe9.yaml")
    env = {"PYTHONIOENCODING": "utf-8"}
    plain = run_cli("check", tmp_path, env=env)
    assert "caf\\xe9.yaml:1:1: missing required field 'body'" in _clean(plain)
    result = run_cli("check", tmp_path, "--json", env=env)
    _clean(result)
    assert result.returncode == 1
    entries = json.loads(result.stdout)
    assert entries[0]["file"].endswith("caf\\xe9.yaml")
    assert entries[0]["ok"] is False


def test_a_file_name_with_a_newline_in_json_is_the_real_name(tmp_path: Path) -> None:
    path = _named(tmp_path, b"a\nb.yaml")
    entries = json.loads(run_cli("check", tmp_path, "--json").stdout)
    assert entries[0]["file"] == str(path)


@pytest.fixture
def release(tmp_path: Path) -> Path:
    path = tmp_path / "release.yaml"
    shutil.copyfile(EXAMPLES / "eu-mission.yaml", path)
    return path


def test_out_dir_that_is_a_file(release: Path, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    second = tmp_path / "second.yaml"
    shutil.copyfile(release, second)
    result = run_cli("render", tmp_path, "--out-dir", tmp_path / "blocker", cwd=tmp_path)
    stderr = _clean(result)
    assert result.returncode == 1
    assert f"'{tmp_path / 'blocker'}' is a file, not a folder" in stderr


def test_output_below_a_file(release: Path, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x")
    result = run_cli("render", release, "-o", tmp_path / "blocker" / "x.pdf")
    assert result.returncode == 1
    assert "is a file, not a folder" in _clean(result)


def test_output_name_too_long(release: Path, tmp_path: Path) -> None:
    result = run_cli("render", release, "-o", tmp_path / ("x" * 300 + ".pdf"))
    assert result.returncode == 1
    assert "the path is too long" in _clean(result)


def test_out_dir_on_a_read_only_file_system(release: Path, tmp_path: Path) -> None:
    mount = tmp_path / "ro"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro", "tmpfs", str(mount)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        shutil.copyfile(release, tmp_path / "second.yaml")
        result = run_cli("render", tmp_path, "--out-dir", mount / "pdf")
        stderr = _clean(result)
        assert result.returncode == 1
        assert f"cannot create the folder '{mount / 'pdf'}': Read-only file system" in stderr
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_letterhead_name_too_long_is_a_message(tmp_path: Path) -> None:
    release = tmp_path / "r.yaml"
    release.write_text(
        "date: 2022-04-28\nheadline: Eine Überschrift\nbody: Text.\n"
        f"letterhead: letterhead.{'x' * 300}.yaml\n",
        encoding="utf-8",
    )
    result = run_cli("check", release)
    assert result.returncode == 1
    assert "letterhead: cannot look up this file: File name too long" in _clean(result)


def test_the_fuzz_input_that_made_reportlab_fail_to_split_now_renders(tmp_path: Path) -> None:
    """Found by the long fuzz run (a mutated eu-mission.toml): ReportLab's own line breaking
    could not place a split paragraph (LayoutError). The total-fit breaker sets it."""
    source = Path(__file__).parent / "data" / "layout-error.toml"
    result = run_cli("render", source, "-o", tmp_path / "out.pdf")
    assert result.returncode == 0, _clean(result)
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")


def test_a_paragraph_reportlab_cannot_split_is_a_message(tmp_path: Path, monkeypatch) -> None:
    """Should ReportLab's splitting still fail (its LayoutError), that is a message at the
    body, not a crash, and nothing is written."""
    from reportlab.platypus.doctemplate import LayoutError

    from medieninfo.pdf import pages

    def fail(*args: object, **kwargs: object) -> None:
        raise LayoutError("Splitting error(n==2) on page 2")

    monkeypatch.setattr(pages.ReleaseDocument, "build", fail)
    source = Path(__file__).parent / "data" / "layout-error.toml"
    result = run_cli("render", source, "-o", tmp_path / "out.pdf")
    assert result.returncode == 1
    assert "body: ReportLab could not fit a paragraph on its page" in _clean(result)
    assert not (tmp_path / "out.pdf").exists()
