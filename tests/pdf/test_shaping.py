"""Our one-face shaper gives what ReportLab's shapeFragWord gives, to the bit.

``pdf/shaping.py`` replaces ReportLab's ``shapeFragWord`` for one-piece words (the
remembered shapes in ``patches.py`` call it once per new word). Every word of the reference
release and of the German test words, plus words that kern, carry accents as combining
marks, ligate in other setups, or hold characters the face lacks, is shaped both ways in
every face and size a release uses; characters, ``ShapeData`` and width must be equal.
"""

from __future__ import annotations

import pytest
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics, ttfonts

from medieninfo.model.release import load_release
from medieninfo.pdf import fonts, patches, shaping
from medieninfo.render import letterhead_for

from conftest import EXAMPLES, REFERENCE
from german_words import load_entries

SPECIAL = [
    "Torwart", "AVUS", "Wasser", "Tafel", "fliegen", "Schifffahrt", "ffi", "To.",
    "e\u0301te\u0301", "Ångström", "Zoë", "x→y", "12\u202f000", "“Zitat”", "«Guillemets»",
    "\u4e2d\u6587", "\U0001f600", "a\u200db", "Ä", "W", "\u00ad", "EU-Mission", "CO₂",
]  # fmt: skip


@pytest.fixture(scope="module")
def faces() -> list[str]:
    patches.apply()
    letterhead = letterhead_for(load_release(EXAMPLES / "eu-mission.yaml"))
    names = fonts.register_family(letterhead.fonts)
    found = sorted({names.regular, names.bold, names.italic, names.bold_italic})
    assert all(getattr(pdfmetrics.getFont(name), "shapable", False) for name in found)
    return found


def _words() -> list[str]:
    words = set(REFERENCE.read_text(encoding="utf-8").split()) | set(SPECIAL)
    words |= {entry.word for entry in load_entries()}
    return sorted(words)


def _reportlab(name: str, size: float, text: str) -> tuple[object, ...]:
    original = ttfonts.shapeFragWord.original  # type: ignore[attr-defined]
    word = [pdfmetrics.stringWidth(text, name, size), (ABag(fontName=name, fontSize=size), text)]
    result = original(word, patches.SHAPING_FEATURES)
    return () if result is word else (result[0], result[1][1])


@pytest.mark.parametrize("size", [7.5, 9.5, 10.5, 13, 15])
def test_one_face_shaping_is_reportlabs(faces: list[str], size: float) -> None:
    words = _words()
    assert len(words) > 300
    shaped = 0
    for name in faces:
        for text in words:
            expected = _reportlab(name, size, text)
            got = shaping.shape_plain(name, size, text, patches.SHAPING_FEATURES)
            if not expected:
                assert got == (), (name, size, text)
                continue
            shaped += 1
            assert got[0] == expected[0], (name, size, text)
            assert str(got[1]) == str(expected[1]), (name, size, text)
            assert list(got[1].__shapeData__) == list(expected[1].__shapeData__), (name, text)
    assert shaped > len(words)  # kerning changed many words in some face


def test_a_face_registered_again_gets_a_new_harfbuzz_font(faces: list[str]) -> None:
    name = faces[0]
    shaping.shape_plain(name, 10.5, "Torwart", patches.SHAPING_FEATURES)
    first = shaping._FONTS[(name, 10.5)]
    shaping.forget(name)
    assert (name, 10.5) not in shaping._FONTS
    shaping.shape_plain(name, 10.5, "Torwart", patches.SHAPING_FEATURES)
    assert shaping._FONTS[(name, 10.5)][1] is not first[1]


def test_texts_joined_at_once_are_the_texts_added_one_by_one(faces: list[str]) -> None:
    """breaking._joined builds a line fragment's text in one step; Python's + of the same
    parts (ShapedStr's __add__ and __radd__) must give the same characters, type and
    glyph data, whatever mix of kerned and plain texts."""
    from functools import reduce

    from reportlab.platypus.paragraph import _SHYIndexedStr

    from medieninfo.pdf.breaking import _joined

    def kerned(text: str) -> str:
        found = shaping.shape_plain(faces[0], 10.5, text, patches.SHAPING_FEATURES)
        assert found, text
        return found[1]

    mixes = [
        ["Tor", " ", "wart"],
        [kerned("Torwart"), " ", kerned("AVUS")],
        ["der", " ", kerned("Torwart"), "", " ", "und"],
        [kerned("Wasser"), " ", _SHYIndexedStr("Klima\xadschutz"), " ", kerned("Tafel")],
        [_SHYIndexedStr("Klima\xadschutz"), " ", "plain"],
        ["", kerned("AVUS")],
    ]
    for parts in mixes:
        expected = reduce(lambda a, b: a + b, parts)
        got = _joined(parts)
        assert got == expected
        assert type(got) is type(expected)
        if isinstance(expected, ttfonts.ShapedStr):
            assert list(got.__shapeData__) == list(expected.__shapeData__)
