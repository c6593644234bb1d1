"""A batch's workers render and its parent writes (``batch._Writer``): every file is still
written as a single render writes it, reported only once it is on disk with its record, and
a file that cannot be written fails alone."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from medieninfo import CREATOR
from medieninfo.app.batch import Outcome, plan, render_batch
from medieninfo.output import is_current

from conftest import MINIMAL, pdf_pages, run_cli


def _folder(root: Path, count: int) -> Path:
    root.mkdir()
    for index in range(count):
        headline = f"Meldung Nummer {index}"
        (root / f"r{index}.yaml").write_text(MINIMAL.replace("Eine Überschrift", headline))
    return root


def test_each_output_is_on_disk_with_its_record_when_it_is_reported(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "releases", 5)
    seen: list[Outcome] = []

    def check(outcome: Outcome) -> None:
        assert outcome.status == "rendered", outcome.messages
        for target in outcome.targets:
            assert is_current(target, source=outcome.source, creator=CREATOR), target
        seen.append(outcome)

    summary = render_batch(plan([folder], formats=("pdf", "txt")), workers=2, on_outcome=check)
    assert summary.rendered == len(seen) == 5
    assert "Meldung Nummer 3" in pdf_pages(folder / "r3.pdf")[0]
    assert "Meldung Nummer 3" in (folder / "r3.txt").read_text(encoding="utf-8")


def test_an_output_the_parent_cannot_write_fails_alone(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "releases", 4)
    (folder / "r2.pdf").mkdir()  # a folder where the PDF should go
    result = run_cli("render", folder, "--jobs", "2")
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "r2.pdf: is a folder" in stderr
    assert "3 rendered, 0 skipped, 1 failed" in stderr
    assert "Traceback" not in stderr
    assert all((folder / f"r{n}.pdf").is_file() for n in (0, 1, 3))


_DEFAULT_SIGXFSZ = """
import signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
from medieninfo.app.cli import entry_point
sys.argv[0] = "medieninfo"
entry_point()
"""


def test_a_file_size_limit_fails_each_file_of_a_batch_alone(tmp_path: Path) -> None:
    """Under ``ulimit -f`` the writer thread's write fails with EFBIG, instead of the kernel
    killing the parent with SIGXFSZ: Python ignores that signal, and the pool makes sure of
    it for a program that restored its default (as this one does)."""
    folder = _folder(tmp_path / "releases", 3)

    def limit() -> None:  # below a PDF's size, above the records and anything else
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = subprocess.run(
        [sys.executable, "-c", _DEFAULT_SIGXFSZ, "render", str(folder), "--jobs", "2"],
        capture_output=True,
        timeout=120,
        preexec_fn=limit,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 1, (result.returncode, stderr)
    assert stderr.count("cannot write PDF: File too large") == 3, stderr
    assert "0 rendered, 0 skipped, 3 failed" in stderr
    assert "Traceback" not in stderr
    assert not list(folder.glob("*.pdf"))
