"""The text writer (:mod:`medieninfo.pdf.showtext`) writes what ReportLab writes.

Each string is written twice from the same state, once by ReportLab's own
``PDFTextObject._formatText`` (the unpatched original) in one document and once by
:func:`~medieninfo.pdf.showtext.show` in another: the operators, the subset the text object
ends in and, at the end, each font's codes (``TTFont.State``) must be the same.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.pdfgen import textobject
from reportlab.pdfgen.canvas import Canvas

from medieninfo.model.release import load_release
from medieninfo.pdf import patches
from medieninfo.pdf.fonts import FontNames, register_family
from medieninfo.pdf.showtext import ESCAPES, codes_for, number, show
from medieninfo.render import letterhead_for

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def names() -> FontNames:
    patches.apply()
    release = load_release(EXAMPLES / "eu-mission.yaml")
    return register_family(letterhead_for(release).fonts)


def test_escapes_are_reportlabs() -> None:
    for code in range(256):
        assert ESCAPES[code] == escapePDF(bytes([code])), code


@pytest.mark.parametrize(
    "value", [0, 1, -1, 0.5, 20, 20.0, -20, 10.5, 1e-8, -1e-8, 1e-7, 2e-7, 123.456789, 1e7, -5.25]
)
def test_numbers_print_as_fp_str(value: float) -> None:
    assert number(value) == fp_str(value)
    assert number(value) == fp_str(value)  # remembered


def _text_object(canvas: Canvas, name: str, size: float) -> Any:
    tx = canvas.beginText(0, 0)
    tx.setFont(name, size, size * 1.4)
    return tx


def _compare(names: FontNames, strings: list[tuple[str, float, Any]]) -> list[str]:
    """Write ``strings`` ((font, size, text), in turn) both ways; the operators written."""
    original = textobject.PDFTextObject._formatText.__wrapped__
    theirs, ours = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    written = []
    objects: dict[tuple[str, float], tuple[Any, Any]] = {}
    for name, size, text in strings:
        if (name, size) not in objects:
            objects[name, size] = _text_object(theirs, name, size), _text_object(ours, name, size)
        their_tx, our_tx = objects[name, size]
        expected = original(their_tx, text)
        got = show(our_tx, codes_for(getFont(name), ours._doc), text)
        assert got is not None, text
        assert (got, our_tx._curSubset) == (expected, their_tx._curSubset), text
        written.append(got)
    for name in {name for name, _size, _text in strings}:
        font = getFont(name)
        expected, state = font.state[theirs._doc], font.state[ours._doc]
        assert state.assignments == expected.assignments
        assert state.subsets == expected.subsets
        assert state.nextCode == expected.nextCode
    return written


def test_plain_strings_are_written_as_reportlab_writes_them(names: FontNames) -> None:
    texts = [
        "",
        " ",
        "Dortmund",
        "Europäische Kommission",
        "(Klammern) und \\ Rückstrich",
        "12\u202f000 Tonnen, z.\xa0B.",
        "„Wörter“ – 0231 50-0 → ✓",
        "Ärger über Öl, Übermaß",
        "Dortmund",  # again: every character known
    ]
    strings = [(font, 10.5, text) for font in (names.regular, names.bold) for text in texts]
    written = _compare(names, strings)
    assert any("\\" in code for code in written)


def test_kerned_strings_are_written_as_reportlab_writes_them(names: FontNames) -> None:
    texts = ["Torwart Wagner testet die AVUS", "AVATAR", "Tee, Tor, Wasser", "Klimaneutralität"]
    strings = []
    for font in (names.regular, names.bold, names.italic):
        for size in (7.5, 10.5, 15):
            strings += [(font, size, shapeStr(text, font, size)) for text in texts]
            # A line's text is its words joined, with a space after the last (layout.py).
            strings.append((font, size, shapeStr("Torwart", font, size) + " Tee" + " "))
    strings.append((names.regular, 10.5, ShapedStr("", [])))
    assert all(isinstance(text, ShapedStr) for _font, _size, text in strings)
    written = _compare(names, strings)
    assert sum("TJ" in code for code in written) > 20


def test_text_beyond_the_first_subset_is_written_as_reportlab_writes_it(
    names: FontNames,
) -> None:
    """More than 256 characters in a font: codes in a second subset, and font switches."""
    face = getFont(names.regular).face
    chars = [chr(c) for c in sorted(face.charToGlyph) if c > 0xA0 and chr(c).isprintable()]
    assert len(chars) > 300
    texts = ["".join(chars[i : i + 40]) for i in range(0, 320, 40)]
    texts += ["Dortmund " + chars[300] + chars[5], chars[310] + " und " + chars[1]]
    strings = [(names.regular, 10.5, text) for text in texts]
    strings.append((names.regular, 10.5, shapeStr("AVATAR " + chars[305], names.regular, 10.5)))
    written = _compare(names, strings)
    assert any("+1 " in code for code in written), "a switch to the second subset"


def test_a_character_the_font_lacks_is_written_as_reportlab_writes_it(
    names: FontNames,
) -> None:
    assert 0x4E00 not in getFont(names.regular).face.charToGlyph
    _compare(
        names, [(names.regular, 10.5, "Stadt \u4e00 Dortmund"), (names.regular, 10.5, "Stadt")]
    )


def test_moved_glyphs_are_left_to_the_per_glyph_code(names: FontNames) -> None:
    """A mark positioned by HarfBuzz has an offset: show() declines, the caller writes it."""
    text = shapeStr("q\u0301 und n\u0308", names.regular, 10.5)
    assert any(sd.x_offset or sd.y_offset for sd in text.__shapeData__)
    canvas = Canvas(io.BytesIO())
    tx = _text_object(canvas, names.regular, 10.5)
    assert show(tx, codes_for(getFont(names.regular), canvas._doc), text) is None
    # The patched _formatText still writes it, as ReportLab does.
    original = textobject.PDFTextObject._formatText.__wrapped__
    other = Canvas(io.BytesIO())
    their_tx = _text_object(other, names.regular, 10.5)
    assert tx._formatText(text) == original(their_tx, text)


def _line(parts: list[str]) -> Any:
    """A line's text as the breaker joins it from its words (``breaking._joined``)."""
    from medieninfo.pdf.breaking import _joined

    return _joined(parts)


def _unkerned(text: str, font: str) -> Any:
    """``text`` as a ShapedStr whose glyphs have their own advances (no kerning)."""
    from reportlab.pdfbase.ttfonts import ShapeData

    widths = getFont(font).face.charWidths
    data = [ShapeData(i, widths[ord(c)], 0, 0, 0, widths[ord(c)]) for i, c in enumerate(text)]
    return ShapedStr(text, shapeData=data)


def test_joined_lines_are_written_as_reportlab_writes_them(names: FontNames) -> None:
    """A joined line keeps its shaped words in its glyph data (showtext.Glyphs), and its
    kerning is taken from theirs: at the right places, whatever comes before them."""
    from medieninfo.pdf.layout import _with_end

    strings = []
    for font in (names.regular, names.bold, names.italic):
        for size in (7.5, 10.5):
            kerned = [shapeStr(word, font, size) for word in ("Torwart", "AVUS", "Wasser")]
            plain = _unkerned("und", font)
            lines = [
                _line([kerned[0], " ", "und", " ", kerned[1]]),  # kerned from the start
                _line(["Der", " ", kerned[1], " ", plain, " ", kerned[2], " "]),
                _line(["Tee", " ", plain, " ", "Tor"]),  # no kerning in any part
                _line([plain, " ", "(Klammern)", " ", kerned[2], kerned[0]]),
            ]
            # A line ending in a soft hyphen gets a hyphen in its place (same glyph data).
            lines.append(_with_end(_line(["Die", " ", kerned[2], "\xad"]), "-", replace=True))
            strings += [(font, size, line) for line in lines]
    for _font, _size, line in strings:
        assert type(line.__shapeData__).__name__ == "Glyphs", line
    written = _compare(names, strings)
    assert sum("TJ" in code for code in written) >= 12
    assert any(code.endswith(") Tj") for code in written)  # the line without kerning


def test_a_joined_line_with_a_moved_glyph_is_left_to_the_per_glyph_code(
    names: FontNames,
) -> None:
    marked = shapeStr("q\u0301", names.regular, 10.5)
    line = _line([shapeStr("AVUS", names.regular, 10.5), " ", marked, " und"])
    canvas = Canvas(io.BytesIO())
    tx = _text_object(canvas, names.regular, 10.5)
    assert show(tx, codes_for(getFont(names.regular), canvas._doc), line) is None
    original = textobject.PDFTextObject._formatText.__wrapped__
    their_tx = _text_object(Canvas(io.BytesIO()), names.regular, 10.5)
    assert tx._formatText(line) == original(their_tx, line)


def test_a_words_remembered_kerning_follows_its_glyph_data(names: FontNames) -> None:
    """The numbers a word's kerning is remembered with are those of its data at the time:
    a word given other data is written from the new data."""
    from reportlab.pdfbase.ttfonts import _sdSimple

    word = shapeStr("AVATAR", names.regular, 10.5)
    line = _line(["Das", " ", word])
    first = _compare(names, [(names.regular, 10.5, word), (names.regular, 10.5, line)])
    assert all("TJ" in code for code in first)
    word.__shapeData__ = len(word) * [_sdSimple]  # type: ignore[attr-defined]
    again = _line(["Das", " ", word])
    second = _compare(names, [(names.regular, 10.5, word), (names.regular, 10.5, again)])
    assert all(code.endswith(") Tj") for code in second)


def test_codes_start_with_those_the_state_has_given(names: FontNames) -> None:
    """A new document's codes know ASCII (ReportLab gives it its own codes with the state);
    a state that gave other codes before the tables were made has them in the tables too,
    and what is written after is what ReportLab writes."""
    font = getFont(names.regular)
    fresh = codes_for(font, Canvas(io.BytesIO())._doc)
    assert {"A", " ", "z", "~"} <= fresh.known and "ä" not in fresh.known
    assert fresh.table[ord("A")] == ord("A") and fresh.escaped[ord("(")] == "\\("
    original = textobject.PDFTextObject._formatText.__wrapped__
    theirs, ours = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for canvas in (theirs, ours):
        font.splitString("Wäßrig „Öl“", canvas._doc)  # codes given before any table
    codes = codes_for(font, ours._doc)
    assert {"ä", "ß", "„"} <= codes.known
    their_tx = _text_object(theirs, names.regular, 10.5)
    our_tx = _text_object(ours, names.regular, 10.5)
    for text in ("Öl „Maß“", "über Wäßrig", "Öl"):
        assert show(our_tx, codes, text) == original(their_tx, text), text
    assert font.state[ours._doc].assignments == font.state[theirs._doc].assignments


def test_font_switches_are_written_as_reportlab_writes_them(names: FontNames) -> None:
    """A text object starts in no subset: each one writes its font switch, remembered per
    subset, size and leading; new text objects, sizes and leadings in turn."""
    original = textobject.PDFTextObject._formatText.__wrapped__
    theirs, ours = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    codes = codes_for(getFont(names.regular), ours._doc)
    written = []
    for size, leading in [(10.5, 14.7), (10.5, 14.7), (7.5, 10.5), (10.5, 12), (10.5, 14.7)]:
        their_tx, our_tx = theirs.beginText(0, 0), ours.beginText(0, 0)
        for tx in (their_tx, our_tx):
            tx.setFont(names.regular, size, leading)
        got = show(our_tx, codes, "Tor")
        assert got == original(their_tx, "Tor")
        written.append(got)
    assert len(set(written)) == 3
    assert codes.switches
