"""The operators that show a string in a TrueType font, written with C loops.

ReportLab's ``PDFTextObject._formatText`` (and its kerned variant in
:func:`.patches._fast_shaped_text`) turns a string into ``Tj``/``TJ`` operators one
character at a time in Python: the character's subset code (``TTFont.splitString``), the
glyph's kerning (``ShapedStr.__shapeData__``), the code's escape (``escapePDF``) and every
number (``fp_str``). :func:`show` writes the same bytes with the per-character work done by
``str.translate`` and ``map``, leaving Python only the kerning pairs:

- once a character has its code in the document's state of the font (ReportLab's
  ``TTFont.State.assignments``), a table maps it straight to its escaped code, so a string
  of known characters becomes the inside of its ``(…)`` in one ``str.translate``; a new
  character first goes through ``splitString``, which gives it its code as ever (the codes
  a new state has, ASCII's own, are in the tables from the start);
- a kerned string's glyphs without offsets (all of Latin text; marks would have them) carry
  only a number after a glyph (``width - x_advance``), found once per shaped word and
  remembered with it; a line joined from words (:class:`Glyphs`) puts its shaped words'
  numbers in their places; a string with offsets returns None, for the per-glyph code
  that handles them;
- numbers print as ``fp_str`` prints them, remembered per value (a font's kerning amounts,
  sizes and leadings are a few dozen values).

The result is exactly what ``_formatText`` returns (tests/pdf/test_showtext.py compares them).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from operator import sub
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont

__all__ = ["ESCAPES", "Codes", "Glyphs", "codes_for", "number", "show"]

#: ``escapePDF`` of each byte, as a ``str.translate`` table over all 256 (a table without an
#: entry for a character is several times slower): a backslash before ``(``, ``)`` and
#: ``\\``, an octal escape outside printable ASCII, the character itself otherwise.
ESCAPES: dict[int, str] = {
    code: f"\\{code:03o}"
    if code < 32 or code >= 127
    else f"\\{chr(code)}"
    if chr(code) in "()\\"
    else chr(code)
    for code in range(256)
}

#: How many printed numbers are remembered before starting again.
_NUMBERS_KEPT = 4_096
_numbers: dict[float, str] = {}


def number(value: float) -> str:
    """``fp_str(value)``, remembered (equal values print alike: 20 and 20.0 both as "20")."""
    found = _numbers.get(value)
    if found is None:
        if len(_numbers) >= _NUMBERS_KEPT:
            _numbers.clear()
        found = _numbers[value] = fp_str(value)
    return found


class Codes:
    """The codes a TrueType font has in one document, as ``str.translate`` tables.

    They hold only codes ReportLab has given (a code never changes once given), so a string
    of characters all ``known`` translates to what ``splitString`` and ``escapePDF`` make of
    it. ``escaped`` maps a character straight to its escaped code while every code is in
    subset 0 (``single``), as in all but very large documents."""

    __slots__ = (
        "_doc",
        "escaped",
        "font",
        "known",
        "remembered",
        "single",
        "state",
        "switches",
        "table",
    )

    def __init__(self, font: Any, doc: Any, state: Any) -> None:
        self.font = font
        # ReportLab keeps the state by a weak reference to the document: so does this, which
        # the state holds (a strong one would keep every document alive).
        self._doc = weakref.ref(doc)
        self.state = state
        # The codes the state has given already: in a new document's state, those ReportLab
        # gives ASCII when it makes the state (its own codes, ``asciiReadable``), which
        # two-thirds of the strings are made of; they need no ``learn``.
        given = _given(font, state.assignments)
        self.table: dict[int, int] = given[0].copy()  # character → code
        self.escaped: dict[int, str] = given[1].copy()  # character → its code's escaped byte
        self.known: set[str] = given[2].copy()  # the characters in ``table``
        self.single: bool = given[3]
        # Whatever a caller draws again in this font and document (the letterhead's lines
        # on every page: pages._draw_string), as the codes made it.
        self.remembered: dict[Any, Any] = {}
        # The font operators per subset, size and leading (see _switch).
        self.switches: dict[tuple[int, float, float], str] = {}

    @property
    def doc(self) -> Any:
        """The document these codes are of."""
        return self._doc()

    def learn(self, text: str) -> None:
        """Give ``text``'s new characters their codes and take them in.

        ``splitString`` gives a new character the next code in order of first use and
        leaves known ones as they are, so splitting only the new characters, in the order
        they first occur in ``text``, changes the state exactly as splitting ``text`` would.
        A character the font lacks gets no code (it is drawn as code 0, .notdef)."""
        known = self.known
        new = sorted(set(text).difference(known), key=text.index)
        self.font.splitString("".join(new), self.doc)
        assignments = self.state.assignments
        for char in new:
            code = assignments.get(ord(char))
            if code is None:
                continue
            self.table[ord(char)] = code
            self.escaped[ord(char)] = ESCAPES[code & 0xFF]
            self.single = self.single and code < 256
            known.add(char)


def _given(font: Any, assignments: dict[int, int]) -> tuple[Any, ...]:
    """:class:`Codes`'s tables for the codes in ``assignments`` (a state's), remembered with
    the font for the next document's new state, which has the same. ``splitString`` gives
    a character in ``assignments`` its code there, so these are the codes it would give
    (ReportLab's own draws U+00A0 as a space without giving it a code, so it is never in
    them; ``patches._fix_nbsp``'s gives it one like any other character)."""
    found = getattr(font, "_medieninfo_given", None)
    if found is not None and found[0] == assignments:
        return found
    table = dict(assignments)
    escaped = {char: ESCAPES[code & 0xFF] for char, code in table.items()}
    known = set(map(chr, table))
    single = all(code < 256 for code in table.values())
    font._medieninfo_given = found = (table, escaped, known, single)
    return found


def codes_for(font: Any, doc: Any) -> Codes:
    """The code tables of ``font`` in ``doc``, kept with ReportLab's state of the font."""
    try:
        state = font.state[doc]
    except KeyError:
        state = font.state[doc] = TTFont.State(font._asciiReadable, font)
    codes: Codes | None = getattr(state, "_medieninfo_codes", None)
    if codes is None:
        codes = state._medieninfo_codes = Codes(font, doc, state)
    return codes


class Glyphs(list[Any]):
    """The glyph data (``ShapeData``) of a string joined from parts (``breaking._joined``).

    It is a list like any other to ReportLab, which reads, slices and adds it; it also keeps
    its ``shaped`` parts (ShapedStr, each with the index of its first glyph), so that
    :func:`_kerning` takes the numbers after the glyphs from each shaped part's, found once
    per shaped word (``patches.shape_word`` remembers the words, drawn on many lines),
    instead of transposing every glyph of every line; plain parts are ReportLab's simple
    glyphs (``_sdSimple``), 0 after each. A string made with the same data
    (``layout._with_end``) shares the list, and so the parts."""

    __slots__ = ("shaped",)

    shaped: list[tuple[int, Any]]


def _kerning(text: str) -> Any:
    """A kerned string's kerned glyphs: (index, number after it), in order, for each glyph
    whose number (``width - x_advance``) is not 0; None when a glyph is moved (an offset),
    which this module leaves to the per-glyph code."""
    data = text.__shapeData__  # type: ignore[attr-defined]
    if len(data) < len(text):
        return None
    if type(data) is Glyphs:
        return _joined_kerning(data)
    return _word_kerning(text)


def _word_kerning(word: Any) -> Any:
    """:func:`_kerning` of a ShapedStr without its length test, remembered with it (against
    its data: the numbers are of that list)."""
    data = word.__shapeData__
    found = getattr(word, "_medieninfo_kerning", None)
    if found is not None and found[0] is data:
        return found[1]
    word._medieninfo_kerning = (data, kerning := _columns_kerning(data))
    return kerning


def _columns_kerning(data: list[Any]) -> tuple[tuple[int, Any], ...] | None:
    """:func:`_kerning` of glyph data: () when no glyph is kerned."""
    if not data:
        return ()
    # The fields of ShapeData as columns, in one pass (cheaper than a map per field).
    _cluster, advances, _y_advance, x_offsets, y_offsets, widths = zip(*data, strict=True)
    if any(x_offsets) or any(y_offsets):
        return None
    if widths == advances:
        return ()
    # ReportLab's number after a glyph is width - x_advance + x_offset; offsets are 0 here.
    return tuple((at, after) for at, after in enumerate(map(sub, widths, advances)) if after)


def _joined_kerning(data: Glyphs) -> list[tuple[int, Any]] | None:
    """:func:`_kerning` of a joined string: its shaped parts' kerned glyphs, moved to where
    the parts begin (a plain part's glyphs have 0 after them)."""
    kerned: list[tuple[int, Any]] = []
    for position, part in data.shaped:
        found = _word_kerning(part)
        if found is None:
            return None
        if found:
            if position:
                kerned += [(position + at, after) for at, after in found]
            else:
                kerned += found
    return kerned


def _switch(tx: Any, codes: Codes, subset: int) -> str:
    """The font operators for ``subset``, and ``tx`` switched to it: remembered with the
    codes, once ``getSubsetInternalName`` has named the font in the document (its first
    call does; a name never changes once given)."""
    tx._curSubset = subset
    key = (subset, tx._fontsize, tx._leading)
    found = codes.switches.get(key)
    if found is None:
        name = codes.font.getSubsetInternalName(subset, codes.doc)
        found = f"{name} {number(tx._fontsize)} Tf {number(tx._leading)} TL"
        codes.switches[key] = found
    return found


def _shown(run: str, kerned: Sequence[Any], position: int, escaped: dict[int, str]) -> str:
    """``(…) Tj`` or ``[(…) 20 (…)] TJ`` for ``run``, the characters from ``position`` of a
    string whose kerned glyphs are ``kerned`` (:func:`_kerning`); ``escaped`` maps its
    characters."""
    if not kerned:
        return f"({run.translate(escaped)}) Tj"
    parts: list[str] = []
    start = 0
    end = len(run)
    for at, after in kerned:
        at -= position
        if at < 0:
            continue
        if at >= end:
            break
        parts.append(f"({run[start : at + 1].translate(escaped)})")
        amount = number(after)
        if amount != "0":
            parts.append(amount)
        start = at + 1
    if start < end:
        parts.append(f"({run[start:].translate(escaped)})")
    if len(parts) == 1 and parts[0].startswith("("):
        return f"{parts[0]} Tj"
    return f"[{' '.join(parts)}] TJ"


def show(tx: Any, codes: Codes, text: str) -> str | None:
    """The operators ``tx._formatText(text)`` writes in the TrueType font of ``codes``
    (:func:`codes_for`), or None for a kerned string whose glyphs are moved (offsets).

    Switches ``tx`` to each subset it uses, as ReportLab does (``tx._curSubset``)."""
    kerned: Sequence[Any] = ()
    if isinstance(text, ShapedStr) and codes.font.shapable:
        kerning = _kerning(text)
        if kerning is None:
            return None
        kerned = kerning
    if not text:
        return ""
    plain = str(text)  # slices of a ShapedStr would copy its shaping data
    known = codes.known
    if not known.issuperset(text):
        codes.learn(text)
        if not known.issuperset(text):
            return _show_runs(tx, codes, plain, kerned)
    if not codes.single:
        return _show_runs(tx, codes, plain, kerned)
    switch = "" if tx._curSubset == 0 else _switch(tx, codes, 0) + " "
    return switch + _shown(plain, kerned, 0, codes.escaped)


def _show_runs(tx: Any, codes: Codes, text: str, kerned: Sequence[Any]) -> str:
    """:func:`show` for a string in several subsets or with a character the font lacks:
    ReportLab's runs of one subset each (``splitString``), each after its font switch."""
    out: list[str] = []
    position = 0
    for subset, run in codes.font.splitString(text, codes.doc):
        if subset != tx._curSubset:
            out.append(_switch(tx, codes, subset))
        coded = run.decode("latin-1")
        out.append(_shown(coded, kerned, position, ESCAPES))
        position += len(coded)
    return " ".join(out)
