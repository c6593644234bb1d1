"""Odd files in a scanned folder: FIFOs, devices and symlinks out of the folder are reported,
never opened in a way that blocks, never read.

A folder scan tells letterheads from releases by reading the start of each file; it used to
open a FIFO and wait for a writer for good (outside ``--timeout``), and to follow a
``x.yaml -> /etc/passwd`` out of the folder, echoing the file's first words as key names.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli

OUTSIDE = "a symbolic link to a file outside"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "releases"
    root.mkdir()
    shutil.copyfile(EXAMPLES / "eu-mission.yaml", root / "good.yaml")
    return root


def _stderr(result: object) -> str:
    text = result.stderr.decode("utf-8", "replace")  # type: ignore[attr-defined]
    assert "Traceback" not in text and "internal error" not in text, text
    return text


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_fifo_in_a_folder_is_reported_without_hanging(folder: Path, command: str) -> None:
    os.mkfifo(folder / "pipe.yaml")
    result = run_cli(command, folder, timeout=60)
    stderr = _stderr(result)
    assert result.returncode == 1
    assert f"{folder / 'pipe.yaml'}: not a regular file" in stderr
    if command == "render":
        assert (folder / "good.pdf").exists()


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_symlink_to_standard_input_is_not_read(folder: Path, command: str) -> None:
    (folder / "stdin.yaml").symlink_to("/dev/stdin")
    # Standard input is a pipe that never ends: reading it would hang.
    read, write = os.pipe()
    try:
        import subprocess
        import sys

        result = subprocess.run(
            [sys.executable, "-m", "medieninfo", command, str(folder)],
            stdin=read,
            capture_output=True,
            timeout=60,
            env={**os.environ, "NO_COLOR": "1"},
        )
    finally:
        os.close(read)
        os.close(write)
    stderr = _stderr(result)
    assert result.returncode == 1
    assert f"{folder / 'stdin.yaml'}: {OUTSIDE}" in stderr


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_symlink_out_of_the_folder_is_refused_unread(folder: Path, command: str) -> None:
    secret = folder.parent / "secret.yaml"
    secret.write_text("geheimnis: 1\nheadline: x\n", encoding="utf-8")
    (folder / "leak.yaml").symlink_to(secret)
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    result = run_cli(command, folder, timeout=60)
    stderr = _stderr(result)
    assert result.returncode == 1
    assert f"{folder / 'leak.yaml'}: {OUTSIDE} {folder}; not read" in stderr
    assert f"{folder / 'passwd.yaml'}: {OUTSIDE}" in stderr
    # Nothing of the files' content reaches the messages.
    assert "geheimnis" not in stderr and "root:x" not in stderr and "/bin/" not in stderr
    assert not (folder / "leak.pdf").exists()


def test_check_json_reports_the_refused_link(folder: Path) -> None:
    import json

    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    result = run_cli("check", folder, "--json", timeout=60)
    entries = {Path(entry["file"]).name: entry for entry in json.loads(result.stdout)}
    assert entries["good.yaml"]["ok"] is True
    assert entries["passwd.yaml"]["ok"] is False
    assert OUTSIDE in entries["passwd.yaml"]["errors"][0]["message"]


def test_a_symlink_inside_the_folder_is_rendered(folder: Path) -> None:
    sub = folder / "sub"
    sub.mkdir()
    (sub / "alias.yaml").symlink_to(folder / "good.yaml")
    result = run_cli("render", folder, timeout=60)
    assert result.returncode == 0, _stderr(result)
    assert (sub / "alias.pdf").exists()


def test_a_device_in_a_folder_is_reported(folder: Path) -> None:
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "sub").mkdir()
    result = run_cli("check", folder, timeout=60)
    stderr = _stderr(result)
    assert result.returncode == 1
    assert f"{folder / 'zero.yaml'}: {OUTSIDE}" in stderr


def test_a_release_named_on_the_command_line_may_be_a_symlink(tmp_path: Path) -> None:
    """Confinement is for what a folder scan finds; a file the user names is theirs."""
    link = tmp_path / "named.yaml"
    link.symlink_to(EXAMPLES / "eu-mission.yaml")
    result = run_cli("check", link, timeout=60)
    assert result.returncode == 0, _stderr(result)
