"""A folder render takes a release's photos into account: a changed photo renders again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import EXAMPLES, run_cli


def test_a_newer_photo_makes_its_release_render_again(tmp_path: Path) -> None:
    folder = tmp_path / "releases"
    shutil.copytree(EXAMPLES / "photos", folder / "photos")
    shutil.copytree(EXAMPLES / "musterstadt", folder / "musterstadt")
    (folder / "musterstadt" / "release.yaml").unlink()  # only the photo release
    first = run_cli("render", folder)
    assert first.returncode == 0, first.stderr.decode()
    assert "release.pdf (2 pages)" in first.stderr.decode()
    again = run_cli("render", folder)
    assert "up to date" in again.stderr.decode()
    pdf = folder / "photos" / "release.pdf"
    later = pdf.stat().st_mtime + 10
    os.utime(folder / "photos" / "spielplatz.png", (later, later))
    changed = run_cli("render", folder)
    assert "release.pdf (2 pages)" in changed.stderr.decode(), changed.stderr.decode()
