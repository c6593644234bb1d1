"""Layout stage: make sure every character of a release can be drawn, before drawing it.

A character the font lacks would print as an empty box, silently. Each character is looked
up in the letterhead's regular face first, then in the fallback fonts that ship for symbols
and mathematics (arrows, ≤, ∞, ✓, ★); a character no font has stops the render with its
code point, its field and its line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from ..assets import assets_dir
from ..errors import InputError, Problem
from ..model.letterhead import Letterhead
from ..model.release import Release

FALLBACK_FONTS = ("NotoSansMath-Regular.ttf", "NotoSansSymbols2-Regular.ttf")
#: Characters that are never drawn as glyphs: line structure and invisible controls.
_NOT_DRAWN = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True)
class Coverage:
    """Which fallback font (by ReportLab name) draws each character the main font lacks."""

    fallback: dict[str, str]


def _cmap(name: str) -> frozenset[int]:
    from reportlab.pdfbase.pdfmetrics import getFont

    return frozenset(getFont(name).face.charToGlyph)


@cache
def _fallback_names() -> tuple[str, ...]:
    from reportlab.lib.fonts import addMapping

    from .fonts import register_face

    names = tuple(register_face(assets_dir() / "fonts" / name) for name in FALLBACK_FONTS)
    for name in names:
        # A symbol inside bold or italic text has no bold or italic face: use the regular.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    return names


def check(
    release: Release, letterhead: Letterhead, *, main_font: str, texts: dict[str, str]
) -> Coverage:
    """Find a font for every character; raise InputError naming those no font has.

    Release text may fall back to the shipped symbol fonts; the letterhead's own lines must
    be covered by its font.

    ``texts`` maps field names to the text that will be drawn (after typographic
    refinement); a body's lines are relative to ``release.body_line``.
    """
    fields = {**texts, **_letterhead_texts(letterhead)}
    known = _cmap(main_font)
    # Nearly always the main font has every character: seen on the hundred or so distinct
    # characters instead of each of the text's thousands. Otherwise the loop below finds
    # where each missing one first occurs, for the message.
    if all(char in _NOT_DRAWN or ord(char) in known for char in set("".join(fields.values()))):
        return Coverage({})
    missing: dict[str, tuple[str, int | None]] = {}
    for field, text in fields.items():
        for offset, line in enumerate(text.split("\n")):
            for char in line:
                if char in _NOT_DRAWN or ord(char) in known or char in missing:
                    continue
                missing[char] = (field, _line_of(release, field, offset))
    if not missing:
        return Coverage({})
    fallback: dict[str, str] = {}
    for name in _fallback_names():
        cmap = _cmap(name)
        for char, (field, _line) in list(missing.items()):
            # The sidebar is drawn line by line in the letterhead's own font.
            if ord(char) in cmap and not field.startswith("letterhead."):
                fallback[char] = name
                del missing[char]
    if missing:
        raise InputError(
            [_problem(release, letterhead, char, *where) for char, where in missing.items()]
        )
    return Coverage(fallback)


def _letterhead_texts(letterhead: Letterhead) -> dict[str, str]:
    texts = {
        "letterhead.organisation": letterhead.organisation,
        "letterhead.title": letterhead.title,
    }
    texts["letterhead.sidebar"] = "\n".join(line.text for line in letterhead.sidebar)
    return texts


def _line_of(release: Release, field: str, offset: int) -> int | None:
    if field.startswith("letterhead."):
        return None
    if field == "body" and release.body_line:
        return release.body_line + offset
    return release.lines.get(field)


def _problem(
    release: Release, letterhead: Letterhead, char: str, field: str, line: int | None
) -> Problem:
    what = f"{field}: character '{char}' (U+{ord(char):04X} {unicodedata.name(char, '?')})"
    if field.startswith("letterhead."):
        return Problem(
            str(letterhead.source),
            f"{what} is not in the letterhead's font; replace it or choose fonts that have it",
            line,
        )
    return Problem(
        release.source,
        f"{what} is in no shipped font; replace it or use a letterhead font that has it",
        line,
    )
