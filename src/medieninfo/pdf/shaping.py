"""One word in one face, shaped by HarfBuzz: what ReportLab's ``shapeFragWord`` makes of it.

ReportLab's ``ttfonts.shapeFragWord`` shapes a word of any number of pieces. For the usual
word, one piece in one face, it does work whose result it throws away: a new HarfBuzz font
object for every word, and the glyph's name (``glyph_to_string``) for every glyph, which
is needed only for a glyph without a character (a private-use code is then assigned).
:func:`shape_plain` does the same shaping without that: one HarfBuzz font per face and
size, and a glyph's name only when it is needed. Its results are ReportLab's to the bit
(same characters, same ``ShapeData``, same width summed in the same order; a test compares
the two on a corpus of words in every face and size a release uses). It runs once per new
word (:mod:`.patches` remembers the shapes): it matters for the first render of a process,
which shapes every word of the release.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics, ttfonts

__all__ = ["forget", "shape_plain"]

#: A HarfBuzz font per (face name, size), with the TTFont it was made from: a face
#: registered again under the same name (``watch``, fonts.py) is another object, and gets
#: a font of its own. A release uses a handful of faces and sizes.
_FONTS: dict[tuple[str, float], tuple[Any, Any]] = {}


def forget(font_name: str) -> None:
    """Drop the HarfBuzz fonts made for ``font_name`` (its file changed)."""
    for key in [key for key in _FONTS if key[0] == font_name]:
        del _FONTS[key]


def _font(font_name: str, size: float) -> tuple[Any, Any] | None:
    ttf = pdfmetrics.getFont(font_name)
    found = _FONTS.get((font_name, size))
    if found is not None and found[0] is ttf:
        return found
    if not hasattr(ttf, "hbFont"):
        return None  # not a TrueType face: ReportLab leaves the word as it is
    # hbFont also gives the TTFont its hbAddPrivate, for glyphs without a character.
    made = (ttf, ttf.hbFont(size))
    _FONTS[(font_name, size)] = made
    return made


def shape_plain(
    font_name: str, size: float, text: str, features: dict[str, bool]
) -> tuple[Any, ...]:
    """``()`` when shaping changes nothing in ``text``; else ``(width, shaped)``: the
    word's width in points and the ``ShapedStr`` ReportLab draws it from."""
    if not text:
        return ()
    found = _font(font_name, size)
    if found is None:
        return ()
    ttf, hb_font = found
    harfbuzz = ttfonts.uharfbuzz  # patches.py's module, whose Buffer takes str subclasses
    buffer = harfbuzz.Buffer()
    buffer.cluster_level = harfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    harfbuzz.shape(hb_font, buffer, features)
    face = ttf.face
    to_char = face.glyphToChar
    char_widths = face.charWidths
    scale = face._pdfScale
    per_point = size / 1000
    count = len(text)
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    if len(infos) == count and _unchanged(text, infos, positions, to_char, char_widths, scale):
        return ()  # most words (70 % of the reference release's): no glyph data made
    shape_data = ttfonts.ShapeData
    chars: list[str] = []
    data: list[Any] = []
    width = 0
    changed = False
    for i, (info, position) in enumerate(zip(infos, positions, strict=True)):
        gid = info.codepoint
        try:
            code = to_char[gid][0]
        except KeyError:
            code = ttf.hbAddPrivate(hb_font.glyph_to_string(gid), gid, position.x_advance)
        char_width = char_widths[code]
        char = chr(code)
        x_advance = scale(position.x_advance)
        x_offset = scale(position.x_offset)
        y_advance = scale(position.y_advance)
        y_offset = scale(position.y_offset)
        if x_advance:
            width += x_advance * per_point
        if not changed:
            # ReportLab's test: moved, more glyphs than characters, another glyph, or
            # another advance than the character's own.
            changed = bool(
                x_offset or y_offset or i >= count or text[i] != char or x_advance != char_width
            )
        chars.append(char)
        data.append(shape_data(info.cluster, x_advance, y_advance, x_offset, y_offset, char_width))
    if not changed:
        return ()
    return (width, ttfonts.ShapedStr("".join(chars), shapeData=data))


def _unchanged(
    text: str, infos: Any, positions: Any, to_char: Any, char_widths: Any, scale: Any
) -> bool:
    """Whether HarfBuzz gave each character its own glyph, unmoved, at its own advance:
    ReportLab's test for "nothing changed", asked before any glyph data is made. A glyph
    without a character of its own is a change (the full pass gives it one)."""
    for char, info, position in zip(text, infos, positions, strict=True):
        if position.x_offset or position.y_offset:
            return False
        codes = to_char.get(info.codepoint)
        if not codes or chr(codes[0]) != char:
            return False
        if scale(position.x_advance) != char_widths[codes[0]]:
            return False
    return True
