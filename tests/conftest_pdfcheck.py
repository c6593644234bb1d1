"""Every PDF a test leaves in its ``tmp_path`` must be a valid, complete PDF.

Loaded from ``conftest.py`` via ``pytest_plugins``. After each test that used ``tmp_path``,
every ``*.pdf`` below it must end in ``%%EOF``, parse with pypdf in strict mode down to
each page's inflated content stream, and pass ``qpdf --check`` where qpdf is installed: a
render that wrote a truncated or broken file fails its test even if the test itself only
looked at the exit code. A test that plants a broken ``.pdf`` on purpose opts out with
``@pytest.mark.broken_pdfs_expected``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "broken_pdfs_expected: the test leaves invalid .pdf files on purpose"
    )


def pdf_problem(path: Path) -> str | None:
    """Why ``path`` is not a complete, valid PDF, or None when it is."""
    from pypdf import PdfReader

    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read: {exc}"
    if not data.startswith(b"%PDF-"):
        return "does not start with %PDF-"
    if b"%%EOF" not in data[-1024:]:
        return "has no %%EOF at its end (truncated?)"
    try:
        reader = PdfReader(path, strict=True)
        if not reader.pages:
            return "has no pages"
        for page in reader.pages:
            contents = page.get_contents()
            if contents is not None:
                contents.get_data()  # inflates the stream: catches corrupt compressed data
    except Exception as exc:  # pypdf raises many kinds of errors for broken files
        return f"pypdf strict parse failed: {type(exc).__name__}: {exc}"
    return _qpdf_problem(path)


def _qpdf_problem(path: Path) -> str | None:
    """qpdf checks the cross-reference table and every stream; used when installed."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return None
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, timeout=60)
    if result.returncode != 0:
        return f"qpdf --check: {(result.stdout + result.stderr).decode(errors='replace').strip()}"
    return None


@pytest.fixture(autouse=True)
def _check_written_pdfs(request: pytest.FixtureRequest):
    wanted = "tmp_path" in request.fixturenames and not request.node.get_closest_marker(
        "broken_pdfs_expected"
    )
    # Taken now: by teardown, tmp_path's own fixture may be gone.
    folder: Path | None = request.getfixturevalue("tmp_path") if wanted else None
    yield
    if folder is None:
        return
    problems = [
        f"{path}: {problem}"
        for path in sorted(folder.rglob("*.pdf"))
        if path.is_file() and (problem := pdf_problem(path)) is not None
    ]
    assert not problems, "invalid PDF written by this test:\n" + "\n".join(problems)
