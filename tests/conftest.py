"""Shared helpers: run the CLI in a subprocess and read PDFs by what is in them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["conftest_pdfcheck"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REFERENCE = ROOT.parent / "shared" / "reference" / "medieninformation-753.txt"


def run_cli(
    *args: str | os.PathLike[str],
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m medieninfo`` as a user would, with a clean environment."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "medieninfo", *map(str, args)],
        input=input,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )


def render_ok(source: Path, target: Path, *options: str) -> Path:
    """Render ``source`` to ``target`` through the CLI; the render must succeed."""
    result = run_cli("render", source, "-o", target, *options)
    assert result.returncode == 0, result.stderr.decode()
    return target


def pdf_pages(path: Path | bytes) -> list[str]:
    """Text of each page, in content-stream order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path, strict=True)
    return [page.extract_text() for page in reader.pages]


def squash(text: str) -> str:
    """Compare text regardless of line breaks: drop whitespace and line-end hyphens."""
    text = text.replace("\xad", "")
    text = re.sub(r"-\s+", "-", text)
    text = re.sub(r"(?<=[a-zäöüß])-(?=[a-zäöüß])", "", text)
    return re.sub(r"\s+", "", text)


@pytest.fixture
def release_file(tmp_path: Path):
    """Write a release file from text and return its path."""

    def make(text: str, name: str = "release.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


MINIMAL = "date: 2022-04-28\nheadline: Eine Überschrift\nbody: Ein Absatz.\n"
