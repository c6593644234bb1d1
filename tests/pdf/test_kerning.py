"""Kerning is in the PDF: text is drawn with the font's kerning pairs, and only with them.

ReportLab writes kerned text as ``TJ`` arrays: ``[(T) 70 (est)] TJ`` moves "est" 70/1000 em
to the left. The content streams are read with pikepdf and every number between two strings
is taken as a kerning adjustment between the last character before it and the first after
it (decoded through the font's ToUnicode map). The same release rendered with ReportLab's
shaping switched off (``TTFont.shapable``) must have none, and must read the same.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pytest

from conftest import EXAMPLES, pdf_pages, squash

RELEASE = """\
date: 2022-04-28
headline: Torwart Wagner testet die AVUS
body: |
  Test mit Wasser, Tor und AV. Die Auflage fiel höher aus, Schiff und Stoff flogen.

  Wort **Dort**mund, *Klima*schutz, x→y und 12\u202f000 Tonnen.
"""


def _cmap(font: pikepdf.Dictionary) -> dict[int, str]:
    """A simple-font ToUnicode map (bfchar and bfrange, as ReportLab writes them)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(int(dst, 16) + offset)
    return mapping


def kerning(pdf: bytes) -> list[tuple[str, str, float]]:
    """Every adjustment in a TJ array: (character before, character after, amount)."""
    found = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            fonts = page.Resources.get("/Font", {})
            cmaps = {str(name): _cmap(font) for name, font in fonts.items()}
            cmap: dict[int, str] = {}
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Tf":
                    cmap = cmaps[str(operands[0])]
                if str(operator) != "TJ":
                    continue
                items = list(operands[0])
                for before, amount, after in zip(items, items[1:], items[2:], strict=False):
                    if isinstance(before, pikepdf.String) and isinstance(after, pikepdf.String):
                        assert not isinstance(amount, pikepdf.String)
                        left = cmap[bytes(before)[-1]]
                        right = cmap[bytes(after)[0]]
                        found.append((left, right, float(amount)))
    return found


def render(path: Path) -> bytes:
    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, render_release

    release = load_release(path)
    return render_release(release, letterhead_for(release)).pdf


@contextmanager
def shaping_off() -> Iterator[None]:
    """ReportLab's shaping unavailable, as without uharfbuzz: the PDF before kerning."""
    from reportlab.pdfbase.ttfonts import TTFont

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TTFont, "shapable", property(lambda self: False))
        yield


@pytest.fixture
def release(tmp_path: Path) -> Path:
    path = tmp_path / "kerning.yaml"
    path.write_text(RELEASE, encoding="utf-8")
    return path


def font_kerning(font: str, pair: str) -> float:
    """What Noto Sans's GPOS says about a pair, in 1/1000 em, asked of HarfBuzz directly."""
    import uharfbuzz as hb

    from medieninfo.assets import assets_dir

    face = hb.Face(hb.Blob.from_file_path(str(assets_dir() / "fonts" / font)))
    hb_font = hb.Font(face)
    buffer = hb.Buffer()
    buffer.add_str(pair)
    buffer.guess_segment_properties()
    hb.shape(hb_font, buffer, {"kern": True})
    first = buffer.glyph_infos[0].codepoint
    kerned = buffer.glyph_positions[0].x_advance
    return (hb_font.get_glyph_h_advance(first) - kerned) * 1000 / face.upem


def test_kerning_pairs_are_in_the_body_headline_and_sidebar(release: Path) -> None:
    pairs = {(left + right) for left, right, _ in kerning(render(release))}
    # Body (regular), headline (bold), sidebar (drawn by pages.py: "Telefon", "Web").
    for pair in ("Te", "Wa", "To", "AV", "We"):
        assert pair in pairs, f"{pair!r} not kerned; kerned pairs: {sorted(pairs)}"


def test_adjustments_are_the_fonts_kerning_values(release: Path) -> None:
    found = {(left + right, amount) for left, right, amount in kerning(render(release))}
    # Regular in the body and the sidebar, bold in the headline ("To" of "Torwart").
    assert ("Te", font_kerning("NotoSans-Regular.ttf", "Te")) in found
    assert ("To", font_kerning("NotoSans-Bold.ttf", "To")) in found
    assert all(amount > 0 for pair, amount in found if pair in ("Te", "To", "Wa", "AV"))


def test_without_shaping_there_is_no_kerning(release: Path) -> None:
    with shaping_off():
        assert kerning(render(release)) == []


def test_kerning_changes_no_text_and_sets_no_ligatures(release: Path) -> None:
    kerned = pdf_pages(render(release))
    text = "\n".join(kerned)
    # Ligatures stay off: "fl" is two letters in the PDF's text, not U+FB02.
    for word in ("Auflage", "fiel", "Schiff", "Stoff", "flogen", "12\u202f000", "x→y"):
        assert word in text
    assert not re.search("[\ufb00-\ufb06]", text)
    with shaping_off():
        plain = pdf_pages(render(release))
    assert squash("".join(kerned)) == squash("".join(plain))


def test_the_example_keeps_its_text_and_hyphenation_when_kerned() -> None:
    """The example splits a hyphenated paragraph over the page break: the path on which
    ReportLab hands HarfBuzz a rejoined word (see _rlpatch)."""
    pdf = render(EXAMPLES / "eu-mission.yaml")
    assert kerning(pdf)
    kerned = pdf_pages(pdf)
    with shaping_off():
        plain = pdf_pages(render(EXAMPLES / "eu-mission.yaml"))
    assert kerned == plain
    assert sum(line.endswith("\xad") for page in kerned for line in page.splitlines()) >= 5


def test_a_word_shaped_before_can_be_shaped_again() -> None:
    """ReportLab rejoins a hyphenated word from its shaped halves (a ShapedStr, a str
    subclass) and shapes it again; uharfbuzz accepts only str (_rlpatch converts it)."""
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

    import medieninfo.pdf.layout  # noqa: F401  (applies _rlpatch)
    from medieninfo.assets import assets_dir
    from medieninfo.pdf.fonts import register_face

    font = register_face(assets_dir() / "fonts" / "NotoSans-Regular.ttf")
    half = shapeStr("Tee", font, 10)
    assert isinstance(half, ShapedStr)
    # Not seen before, so not answered from _rlpatch's cache of shaped words.
    word = shapeStr(half + "Wasserwerk", font, 10)
    assert str(word) == "TeeWasserwerk"
    advances = [glyph.x_advance for glyph in word.__shapeData__]
    widths = [glyph.width for glyph in word.__shapeData__]
    assert advances != widths  # "Te" and "Wa" kerned
