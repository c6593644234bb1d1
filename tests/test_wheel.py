"""The built wheel carries everything a render needs: fonts and their stored tables, logo,
letterheads, patterns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from medieninfo.pdf.fonts import cached_tables

from conftest import EXAMPLES, ROOT, pdf_pages


def test_installed_wheel_renders_without_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("medieninfo-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    release = tmp_path / "release.yaml"
    release.write_bytes((EXAMPLES / "eu-mission.yaml").read_bytes())
    # Run from an unrelated folder with only the installed copy on the path: the checkout's
    # src/ and assets/ must not be reachable.
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import medieninfo, sys; print(medieninfo.__file__); "
            "from medieninfo import assets; from medieninfo.pdf import fonts; "
            "shipped = sorted((assets.assets_dir() / 'fonts').glob('*.ttf')); "
            "print(sum(fonts.cached_tables(p.read_bytes()) is not None for p in shipped),"
            " len(shipped)); "
            "from medieninfo.app.cli import main; "
            "sys.argv=['medieninfo','render','release.yaml']; main()",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(target))
    # As many stored font tables in use as in the checkout (all, unless ReportLab is newer).
    stored, shipped = map(int, result.stdout.splitlines()[1].split())
    fonts = sorted((ROOT / "assets" / "fonts").glob("*.ttf"))
    assert shipped == len(fonts) == 6
    assert stored == sum(cached_tables(font.read_bytes()) is not None for font in fonts)
    pages = pdf_pages(tmp_path / "release.pdf")
    assert len(pages) == 2 and "MEDIENINFORMATION" in pages[1]
