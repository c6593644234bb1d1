"""Font files are checked by their header in the model, and by ReportLab in the PDF stage;
either way a broken font is a message at its key in the letterhead, never a crash."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from medieninfo.assets import assets_dir
from medieninfo.model.fontfile import check_truetype

from conftest import MINIMAL, run_cli

NOTO = assets_dir() / "fonts" / "NotoSans-Regular.ttf"


def _tables(data: bytes) -> dict[bytes, tuple[int, int, int]]:
    count = struct.unpack(">H", data[4:6])[0]
    return {
        tag: (12 + 16 * index, offset, length)
        for index, (tag, _, offset, length) in enumerate(
            struct.iter_unpack(">4sIII", data[12 : 12 + 16 * count])
        )
    }


def test_a_shipped_font_passes() -> None:
    assert check_truetype(NOTO) is None


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "is not a TrueType font"),
        (b"\x00\x01", "too short"),
        (b"OTTO" + bytes(40), "PostScript (CFF) outlines"),
        (b"ttcf" + bytes(40), "font collection"),
        (b"wOF2" + bytes(40), "WOFF2"),
        (NOTO.read_bytes()[:100], "cut off inside its table directory"),
        (NOTO.read_bytes()[:-5000], "ends past the file"),
    ],
)
def test_what_is_wrong_with_a_font_file(tmp_path: Path, data: bytes, says: str) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(data)
    problem = check_truetype(font)
    assert problem is not None and says in problem


def test_a_font_without_glyph_outlines_is_refused(tmp_path: Path) -> None:
    data = bytearray(NOTO.read_bytes())
    record, _, _ = _tables(bytes(data))[b"glyf"]
    data[record : record + 4] = b"GLYF"  # the table is there, under another name
    font = tmp_path / "font.ttf"
    font.write_bytes(bytes(data))
    assert check_truetype(font) == "is not a usable TrueType font (no 'glyf' table)"


def _letterhead(folder: Path, font: bytes) -> Path:
    (folder / "bad.ttf").write_bytes(font)
    faces = "".join(f"  {key}: bad.ttf\n" for key in ("regular", "bold", "italic", "bold_italic"))
    letterhead = folder / "letterhead.yaml"
    letterhead.write_text(f"organisation: Musterstadt\nsidebar: [Zeile]\nfonts:\n{faces}")
    (folder / "release.yaml").write_text(MINIMAL + "letterhead: letterhead.yaml\n")
    return letterhead


@pytest.mark.parametrize("command", ["render", "check"])
def test_a_font_only_reportlab_finds_broken_is_reported_at_its_key(
    tmp_path: Path, command: str
) -> None:
    # A sound table directory over a damaged 'head' table: the header check passes, the
    # PDF stage's parse fails, and the message still points at the letterhead's line.
    data = bytearray(NOTO.read_bytes())
    _, offset, length = _tables(bytes(data))[b"head"]
    data[offset : offset + length] = b"\xff" * length
    _letterhead(tmp_path, bytes(data))
    result = run_cli(command, "release.yaml", cwd=tmp_path)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert stderr.startswith(
        "letterhead.yaml:4:12: fonts.regular: 'bad.ttf' is not a usable TrueType font ("
    ), stderr
    assert "Traceback" not in stderr
    assert not (tmp_path / "release.pdf").exists()
