"""A batch's workers render and its parent writes (``batch._Writer``): every file is still
written as a single render writes it, reported only once it is on disk with its record, and
a file that cannot be written fails alone. The workers are forked from a warmed parent
(``_Pool.warm``) and render the same bytes as a cold process."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medieninfo import CREATOR
from medieninfo.app import batch
from medieninfo.app.batch import Outcome, plan, render_batch
from medieninfo.assets import assets_dir
from medieninfo.output import is_current

from conftest import EXAMPLES, MINIMAL, pdf_pages, run_cli, run_command


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


# --------------------------------------------------------------------------- warm workers


def test_workers_forked_warm_render_the_bytes_of_a_cold_process(tmp_path: Path) -> None:
    """The pool warms the parent before forking (letterhead, fonts, patterns, Markdown):
    what the workers inherit must not change a byte of what they render."""
    folder = tmp_path / "releases"
    (folder / "musterstadt").mkdir(parents=True)
    for name in ("release.yaml", "letterhead.toml", "logo.png"):
        shutil.copy(EXAMPLES / "musterstadt" / name, folder / "musterstadt" / name)
    shutil.copy(EXAMPLES / "eu-mission.yaml", folder / "eu-mission.yaml")
    (folder / "short.yaml").write_text(MINIMAL)
    result = run_cli("render", folder, "--jobs", "2")
    assert result.returncode == 0, result.stderr.decode()
    for source in (folder / "musterstadt" / "release.yaml", *folder.glob("*.yaml")):
        cold = tmp_path / f"cold-{source.stem}.pdf"
        done = run_command("render", source, "-o", cold)
        assert done.returncode == 0, done.stderr.decode()
        assert source.with_suffix(".pdf").read_bytes() == cold.read_bytes(), source


def test_warming_leaves_the_first_releases_letterhead_and_parser_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medieninfo.model import content
    from medieninfo.model import letterhead as letterheads

    monkeypatch.setattr(letterheads, "_loaded", {})
    content._parser.cache_clear()
    folder = _folder(tmp_path / "releases", 2)
    pool = batch._Pool(2, letterhead=None, timeout=None)
    pool.warm(plan([folder]))
    assert [key for key, _ in letterheads._loaded] == [
        str(assets_dir() / "letterheads" / "dortmund.yaml")
    ]
    assert content._parser.cache_info().currsize == 1


def test_warming_is_silent_about_a_broken_first_release(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "releases", 2)
    (folder / "r0.yaml").write_text("headline: [kaputt\n")
    batch._Pool(2, letterhead=None, timeout=None).warm(plan([folder]))
    result = run_cli("render", folder, "--jobs", "2")
    assert result.returncode == 1
    assert "1 rendered, 0 skipped, 1 failed" in result.stderr.decode()


# --------------------------------------------------------------------------- planning


def test_refusal_sees_a_link_anywhere_below_the_folder(tmp_path: Path) -> None:
    """The short way (a stat per name below the folder) must find what resolving finds: a
    linked folder or file on the way out, and a way out through ``..``."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.yaml").write_text(MINIMAL)
    (root / "sub" / "plain.yaml").write_text(MINIMAL)
    (root / "out").symlink_to(outside)
    (root / "sub" / "leak.yaml").symlink_to(outside / "secret.yaml")
    assert batch.refusal(root / "sub" / "plain.yaml", root) is None
    for path in (
        root / "out" / "secret.yaml",
        root / "sub" / "leak.yaml",
        root / "sub" / ".." / ".." / "outside" / "secret.yaml",
    ):
        assert batch.refusal(path, root) is not None, path
    # A root that is itself a link: what lies below it is inside.
    (tmp_path / "alias").symlink_to(root)
    assert batch.refusal(tmp_path / "alias" / "sub" / "plain.yaml", tmp_path / "alias") is None


def test_the_parent_unfreezes_what_it_froze_for_the_forks_and_only_that(tmp_path: Path) -> None:
    import gc

    folder = _folder(tmp_path / "releases", 2)
    assert gc.get_freeze_count() == 0
    assert render_batch(plan([folder]), workers=2, force=True).rendered == 2
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a program that froze objects of its own before the batch
    try:
        frozen = gc.get_freeze_count()
        assert render_batch(plan([folder]), workers=2, force=True).rendered == 2
        # Still frozen (less the few that died meanwhile), and nothing more.
        assert frozen - 100 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


def test_a_batch_looks_for_stale_temporaries_once_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from medieninfo import output

    folder = _folder(tmp_path / "releases", 5)
    (folder / "sub").mkdir()
    (folder / "sub" / "r9.yaml").write_text(MINIMAL)
    stale = folder / ".medieninfo-abc.pdf.tmp"
    stale.write_bytes(b"%PDF-1.4 half")
    old = stale.stat().st_mtime - output.STALE_AFTER - 60
    os.utime(stale, (old, old))
    looked: list[Path] = []
    original = output.remove_stale_temporaries

    def counting(where: Path, **kwargs: float) -> list[Path]:
        looked.append(where)
        return original(where, **kwargs)

    monkeypatch.setattr(output, "remove_stale_temporaries", counting)
    summary = render_batch(plan([folder]), workers=2)
    assert summary.rendered == 6
    assert sorted(looked) == [folder, folder / "sub"]  # in the parent, once each
    assert not stale.exists()
