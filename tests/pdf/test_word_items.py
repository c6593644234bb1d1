"""The line breaker remembers a word's boxes and penalties (breaking._WORD_ITEMS); a word
remembered from a wide column must still get its emergency breaks in a narrow one."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from medieninfo.pdf import breaking, patches

WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"


def _lines(width: float) -> list[float]:
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    paragraph = breaking.TotalFitParagraph(f"Ein {WORD} und noch ein {WORD} hier.", style)
    paragraph.wrap(width, 1000)
    return [width - line.extraSpace for line in paragraph.blPara.lines]


def test_a_remembered_word_is_cut_again_in_a_narrower_column() -> None:
    patches.apply()
    breaking._WORD_ITEMS.clear()
    wide = stringWidth(WORD, "Helvetica", 10) + 40
    assert all(used <= wide + 0.01 for used in _lines(wide))
    assert breaking._WORD_ITEMS  # the word is remembered now
    narrow = stringWidth(WORD, "Helvetica", 10) / 3
    used = _lines(narrow)
    assert len(used) >= 6
    assert all(width <= narrow + 0.01 for width in used), (narrow, used)


# --------------------------------------------------------------------------- phone ties

_PHONE_TEXTS = [
    "Telefon 0231 50-2 21 34 oder +49 (0)231/50-22134, Fax (0231) 50 22.",
    "Keine Nummer hier, nur Wörter und Zeichen: ² ³ ½ ٣ (arabisch-indisch).",
    "Am 28.4.2022 um 10 Uhr, Raum 0.21.",
    "",
]


@pytest.mark.parametrize("text", _PHONE_TEXTS)
def test_phone_ties_without_a_digit_shortcut(text: str) -> None:
    """The decimal-digit shortcut gives what the full search gives (a phone number has
    ASCII digits; ``²`` and other digits outside Nd never start one)."""
    from medieninfo.text.typography import PHONE

    texts: list[str | None] = [*text.split(" "), None]
    run = list(range(100, 100 + len(texts)))
    joined = " ".join([t or "\ufffc" for t in texts])
    expected: set[int] = set()
    for match in PHONE.finditer(joined):
        position = 0
        for index, word in zip(run, texts, strict=True):
            position += len(word or "\ufffc")
            if match.start() <= position < match.end():
                expected.add(index)
            position += 1
    assert breaking._phone_ties(texts, run) == expected
    if text.startswith("Telefon"):
        assert len(expected) >= 6


# --------------------------------------------------------------------------- line words

_WORDS = [
    "Ein", "Donaudampfschifffahrtsgesellschaft", "und", "https://example.org/pfad/zur/seite",
    "Bürgerbeteiligung", "EU-Mission", "die", "Klimaneutralität", "0231", "50-22134", "in",
    "Stadtentwicklungsplanung", "mit", "ab", "Verkehrswende.",
]  # fmt: skip


@pytest.mark.parametrize("width", [40.0, 61.0, 90.0, 133.0, 250.0])
@pytest.mark.parametrize("seed", range(6))
def test_each_line_goes_on_where_the_one_before_ended(width: float, seed: int) -> None:
    """``_plan`` finds a line's words by where each word's items begin (a bisect), not by
    reading every item: every word of the paragraph comes once, in order, whole unless a
    line ended inside it, and the next line then goes on at that character."""
    import random

    from medieninfo.text.hyphenation import hyphenator_for

    patches.apply()
    rng = random.Random(seed)
    text = " ".join(rng.choice(_WORDS) for _ in range(60))
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12,
                           hyphenationLang=hyphenator_for("de-DE"))  # fmt: skip
    planned: list[tuple[list[int], list[Any]]] = []
    original = breaking.TotalFitParagraph._plan

    def plan(self: Any, words: Any, plain: Any, run: list[int], *args: Any) -> Any:
        result = original(self, words, plain, run, *args)
        planned.append((run, result[0]))
        return result

    with pytest.MonkeyPatch.context() as monkey:
        monkey.setattr(breaking.TotalFitParagraph, "_plan", plan)
        breaking.TotalFitParagraph(text, style).wrap(width, 10_000)
    assert planned
    for run, lines in planned:
        expected = (run[0], 0)  # the next word and character
        for line in lines:
            assert line, lines
            assert (line[0][0], line[0][1]) == expected
            indices = [entry[0] for entry in line]
            assert indices == run[run.index(indices[0]) : run.index(indices[0]) + len(indices)]
            assert all(entry[1] == 0 for entry in line[1:])
            assert all(entry[2] is None for entry in line[:-1])
            word, _, cut, _ = line[-1]
            if cut is not None:
                expected = (word, cut)
            elif word != run[-1]:
                expected = (run[run.index(word) + 1], 0)
        assert lines[-1][-1][0] == run[-1] and lines[-1][-1][2] is None


def test_clone_gives_what_abag_clone_gives() -> None:
    """breaking._clone copies a ParaFrag's attributes once; the copy is ReportLab's clone:
    the same class, attributes, order and changes, and not the original object."""
    from reportlab.lib.abag import ABag
    from reportlab.platypus.paraparser import ParaFrag

    frag = ParaFrag(fontName="Helvetica", fontSize=10, text="Wort", link=[], _fkind=1)
    for changes in ({}, {"_fkind": 2, "text": ""}, {"new": 1}):
        mine, theirs = breaking._clone(frag, **changes), frag.clone(**changes)
        assert type(mine) is ParaFrag and mine is not frag
        assert list(mine.__dict__.items()) == list(theirs.__dict__.items())
    other = ABag(text="x")  # not a ParaFrag: its own clone
    assert type(breaking._clone(other, text="y")) is ABag
    assert breaking._clone(other, text="y").text == "y" and other.text == "x"
