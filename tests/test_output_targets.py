"""output.check_target by stat and name: the same refusals as resolving every path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from medieninfo.errors import OutputError
from medieninfo.output import check_target

#: The targets here are links to the input and stand-in files, never PDFs.
pytestmark = pytest.mark.broken_pdfs_expected


def test_a_target_that_is_the_input_by_any_name_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text("headline: x\n")
    (tmp_path / "hard.pdf").hardlink_to(source)
    (tmp_path / "soft.pdf").symlink_to(source)
    (tmp_path / "here").symlink_to(tmp_path)
    for target in (
        tmp_path / "hard.pdf",
        tmp_path / "soft.pdf",
        tmp_path / "here" / "r.yaml",
        tmp_path / "sub" / ".." / "r.yaml",
    ):
        with pytest.raises(OutputError, match="refusing to overwrite the input"):
            check_target(target, inputs=(source,))


def test_a_missing_input_named_as_its_own_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="refusing to overwrite the input"):
        check_target(tmp_path / "r.yaml", inputs=(tmp_path / "r.yaml",))


def test_a_new_or_other_target_passes_and_a_name_too_long_is_an_oserror(tmp_path: Path) -> None:
    source = tmp_path / "r.yaml"
    source.write_text("headline: x\n")
    check_target(tmp_path / "new.pdf", inputs=(source,))
    (tmp_path / "old.pdf").write_bytes(b"%PDF-1.4\n")
    check_target(tmp_path / "old.pdf", inputs=(source,))
    with pytest.raises(OSError) as raised:
        check_target(tmp_path / ("x" * 300 + ".pdf"), inputs=(source,))
    assert raised.value.errno == 36 or os.name != "posix"
