"""The stored tables of the shipped fonts: used only when they are what ReportLab would parse."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from medieninfo.assets import assets_dir
from medieninfo.pdf import fonts

from conftest import EXAMPLES

SHIPPED = sorted((assets_dir() / "fonts").glob("*.ttf"))


def _stored_for_this_reportlab() -> None:
    from reportlab import Version

    for path in SHIPPED:
        if fonts.cached_tables(path.read_bytes()) is None:
            pytest.skip(
                f"no stored tables of {path.name} for ReportLab {Version}: "
                "run tools/cache_fonts.py (renders parse the fonts meanwhile)"
            )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_stored_tables_are_what_reportlab_parses(path: Path) -> None:
    _stored_for_this_reportlab()
    stored = fonts.cached_tables(path.read_bytes())
    assert stored == fonts.tables_of(TTFont(path.stem, str(path)).face)


def test_a_restored_font_is_a_parsed_font() -> None:
    _stored_for_this_reportlab()
    path = SHIPPED[0]
    data = path.read_bytes()
    stored = fonts.stored_tables(data)
    assert stored is not None
    restored = fonts._restore("X", path, data, stored)
    parsed = TTFont("X", str(path))
    # The big tables come with the first look at one of them, not at any other name.
    assert getattr(restored.face, "no_such_table", None) is None
    assert "charWidths" not in vars(restored.face)
    assert restored.face.charWidths == parsed.face.charWidths
    assert vars(restored).keys() == vars(parsed).keys()
    assert vars(restored.face).keys() == vars(parsed.face).keys()
    for name in ("fontName", "_asciiReadable", "shapable"):
        assert getattr(restored, name) == getattr(parsed, name)
    assert restored.face._ttf_data == parsed.face._ttf_data
    for units in (0, 1, 537, -120, 2048):
        assert restored.face._pdfScale(units) == parsed.face._pdfScale(units)
    text = "Straßenbahn „Dortmund“ – 12 000 €"
    assert restored.stringWidth(text, 10.5) == parsed.stringWidth(text, 10.5)


def test_any_other_font_file_is_parsed(tmp_path: Path) -> None:
    changed = bytearray(SHIPPED[0].read_bytes())
    changed[-1] ^= 0xFF
    assert fonts.cached_tables(bytes(changed)) is None


def test_stored_tables_that_do_not_load_mean_a_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = SHIPPED[0].read_bytes()
    name = f"{fonts.sha256(data).hexdigest()}.pickle"
    monkeypatch.setattr(fonts, "CACHE", tmp_path)
    lazy_damaged = pickle.dumps(
        {"key": fonts.cache_key(), "font": "x", "tables": {}, "lazy": b"\x80\x05not a pickle"}
    )
    for stored in (b"damaged", b"\x80\x05not a pickle", pickle.dumps({"key": fonts.cache_key()})):
        (tmp_path / name).write_bytes(stored)
        assert fonts.stored_tables(data) is None
        assert fonts.cached_tables(data) is None
    (tmp_path / name).write_bytes(lazy_damaged)
    assert fonts.cached_tables(data) is None


def test_an_unused_face_reads_none_of_its_big_tables(tmp_path: Path) -> None:
    """The Italic of the example is registered but sets no text: its tables stay unread."""
    script = (
        "import sys; from pathlib import Path; from reportlab.pdfbase.pdfmetrics import getFont;"
        " from medieninfo import render; from medieninfo.pdf import fonts;"
        " render.render_file(Path(sys.argv[2]), source=Path(sys.argv[1]));"
        " faces = {n: vars(getFont(n).face) for n in ('NotoSans-Regular', 'NotoSans-Italic')};"
        " print(*('charWidths' in f for f in faces.values()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, EXAMPLES / "eu-mission.yaml", tmp_path / "out.pdf"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    assert out == ["True", "False"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_a_stored_face_gets_the_soft_hyphen_alias_when_read(path: Path) -> None:
    _stored_for_this_reportlab()
    data = path.read_bytes()
    stored = fonts.stored_tables(data)
    assert stored is not None
    restored = fonts._restore("X", path, data, stored).face
    parsed = TTFont("X", str(path)).face
    fonts._alias_soft_hyphen(parsed)
    assert restored.charToGlyph.get(0xAD) == parsed.charToGlyph.get(0xAD)
    assert restored.charWidths.get(0xAD) == parsed.charWidths.get(0xAD)


def test_the_pdf_is_the_same_without_the_stored_tables(tmp_path: Path) -> None:
    _stored_for_this_reportlab()
    script = (
        "import sys; from medieninfo import render; from medieninfo.pdf import fonts; {}"
        "render.render_file(__import__('pathlib').Path(sys.argv[2]),"
        " source=__import__('pathlib').Path(sys.argv[1]))"
    )
    outputs = []
    for name, patch in (("stored", ""), ("parsed", "fonts.stored_tables = lambda data: None; ")):
        target = tmp_path / f"{name}.pdf"
        subprocess.run(
            [sys.executable, "-c", script.format(patch), EXAMPLES / "eu-mission.yaml", target],
            check=True,
            timeout=120,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
