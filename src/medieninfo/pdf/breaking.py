"""How a paragraph's lines are chosen: ReportLab's words, our total-fit breaker.

:class:`TotalFitParagraph` is a ReportLab ``Paragraph`` whose :meth:`breakLines` does not
fill lines first-fit. It takes ReportLab's own words (``_getFragWords``: styled pieces of
text with their widths, shaped by HarfBuzz when kerning is on), turns them into boxes, glue
and penalties for :mod:`medieninfo.text.linebreak`, runs it, and hands back ReportLab's
line structure (``FragLine`` objects and the processed word list with ``_InjectedFrag``
breaks and split words), exactly what ReportLab's breaker would have returned. Drawing,
links, kerning, tagging and splitting across pages therefore stay ReportLab's; only *where*
lines end changes. How lines are drawn lives elsewhere (:mod:`.layout`, :mod:`.tagging`).

Breakpoints offered to the breaker:

* the space after a word (U+00A0 and U+202F are inside words, so never);
* hyphenation points from the style's :class:`~medieninfo.text.hyphenation.Hyphenator`
  (compound seams cheaper than other syllable breaks), soft hyphens, and a hard hyphen
  (without an added one), never leaving a single letter (``U-Bahn``);
* in URLs and e-mail addresses the Chicago Manual's places, no hyphen added: after ``//``,
  ``/``, ``:``, ``@``, before ``.``, ``-``, ``_``, ``?``, ``#``, ``~``, ``%``, ``&``, ``=``;
  the address's own hyphen starts the next line; nothing inside the scheme, and right
  after it only at a high cost;
* inside anything still wider than the column, every character, at a high cost, counted
  in :attr:`TotalFitParagraph.emergency_breaks` for the layout report. So no line is ever
  wider than the column.

Styles choose the mode with a ``line_breaking`` attribute: ``"ragged"`` (default,
plain TeX's ``\\raggedright``: right margin ``0pt plus 2em``), ``"justify"`` (spaces
stretch), ``"balance"`` (headlines: all lines about equally long, none a lone word),
``"first-fit"`` (ReportLab's own breaking).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import accumulate
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfbase.ttfonts import _sdSimple as _SIMPLE_GLYPH
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import (
    _FK_BREAK,
    _FK_TEXT,
    FragLine,
    ParaLines,
    _getFragWords,
    _handleBulletWidth,
    _HSFrag,
    _InjectedFrag,
    _SHYIndexedStr,
    _SHYWord,
    _SHYWordHS,
    _SplitFrag,
    _SplitFragH,
    _SplitFragHS,
    _SplitFragHY,
    _SplitFragLL,
    _SplitFragSHY,
    sameFrag,
)
from reportlab.platypus.paraparser import ParaFrag

from ..text.linebreak import INFINITY, Item, Params, box, break_paragraph, glue, penalty
from ..text.typography import DIGIT, PHONE
from .showtext import Glyphs

__all__ = ["TotalFitParagraph"]

#: Costs of breaks (TeX's \hyphenpenalty is 50): a compound seam as TeX's hyphen, another
#: syllable break dearer, a hard hyphen like a seam; a URL break like a hyphen, right after
#: the scheme (``https://`` alone at a line end) almost never; an emergency break anywhere
#: only when nothing else fits.
SEAM_PENALTY = 50
SYLLABLE_PENALTY = 120
#: A break that leaves only two letters for the next line ("Klima-te", "be-|rücksich-|tigt")
#: is legal but poor (many German houses set \righthyphenmin=3): dearer still.
SHORT_TAIL_PENALTY = 400
HARD_HYPHEN_PENALTY = 50
URL_PENALTY = 60
SCHEME_PENALTY = 3000
EMERGENCY_PENALTY = 5000
#: Last-line costs in demerits. A tail of a hyphenated word alone on the last line is worse
#: than one line of badness ~3000 (about 3 em short); a lone short word (under 4 em)
#: about as bad as a line of badness 400.
HYPHEN_TAIL_DEMERITS = 10**7
SHORT_LAST_DEMERITS = 170_000
SHORT_LAST_EM = 4.0
#: TeX's \doublehyphendemerits (10000) is small beside a ragged line's badness (a line
#: 1 em short already costs ~1600): two hyphens in a row cost as much as a line ~2.6 em short.
DOUBLE_HYPHEN_DEMERITS = 300_000
#: Lines up to this badness in the first pass (about 4.3 em short of the measure in ragged
#: text); only when no breaking meets it, a second pass takes any line that fits. TeX's
#: \tolerance is 200; ragged German text with long words needs more room, and each line
#: allowed costs time (more active breaks).
TOLERANCE = 1000
#: plain TeX's \raggedright: \rightskip 0pt plus 2em.
RAGGED_STRETCH_EM = 2.0


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """URL start, e-mail, bare domain, scheme; compiled on first use (4 ms at import)."""
    return (
        re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|mailto:|www\.)", re.ASCII),
        re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$"),
        re.compile(r"[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/"),
        re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?://)?", re.ASCII),
    )


_LEADING = "\"'([{«‹„‚“‘¿"
_TRAILING = "\"')]}»›“”‘’.,;:!?"
_BREAK_AFTER = frozenset("/:@")
_BREAK_BEFORE = frozenset(".-_?#~%&=")
_HARD_HYPHENS = frozenset("-\u2010")


class _SHYSplitTail(_SHYWord, _SplitFrag):
    """The tail of a word with soft hyphens that is not followed by a space."""


def _text_of(word: list[Any]) -> str | None:
    """The word's characters, or None when it cannot be split (a rise, an image)."""
    if len(word) == 2:  # one piece: most words
        style, text = word[1]
        if getattr(style, "rise", 0) or getattr(getattr(style, "cbDefn", None), "width", 0):
            return None
        return str(text)
    parts = []
    for style, text in word[1:]:
        if getattr(style, "rise", 0) or getattr(getattr(style, "cbDefn", None), "width", 0):
            return None
        parts.append(str(text))
    return "".join(parts)


def _is_address(core: str) -> bool:
    url_start, email, bare_domain, _ = _patterns()
    return bool(
        url_start.match(core)
        or ("@" in core and email.match(core))
        or ("/" in core and bare_domain.match(core))
    )


def url_breaks(core: str) -> list[tuple[int, int]]:
    """``(position, cost)`` of the places an address may break (before ``core[position]``)."""
    url_start, _, _, scheme_pattern = _patterns()
    scheme = scheme_pattern.match(core) if url_start.match(core) else None
    start = scheme.end() if scheme else 0
    found: list[tuple[int, int]] = []
    if scheme and start < len(core) - 1:
        found.append((start, SCHEME_PENALTY))
    for i in range(start + 2, len(core) - 1):
        before, after = core[i - 1], core[i]
        if (before in _BREAK_AFTER and after != "/" and after not in _BREAK_BEFORE) or (
            after in _BREAK_BEFORE and before not in _BREAK_BEFORE and before not in "/"
        ):
            # "https://www" alone at a line end reads badly too.
            cost = SCHEME_PENALTY if core[start:i].lower() == "www" else URL_PENALTY
            found.append((i, cost))
    return found


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalpha())


class _Candidate:
    __slots__ = ("address", "cost", "emergency", "flagged", "hyphen", "position")

    def __init__(
        self,
        position: int,
        cost: float,
        *,
        hyphen: bool,
        flagged: bool,
        emergency: bool = False,
        address: bool = False,
    ) -> None:
        self.address = address
        self.position = position
        self.cost = cost
        self.hyphen = hyphen
        self.flagged = flagged
        self.emergency = emergency


#: Breaks by word: the same words come back in every paragraph and every release of a
#: batch; what they are depends only on the text and the hyphenator.
#: Keyed by the hyphenator object itself, not its id(): the key keeps it alive, so a new
#: hyphenator (watch mode, another letterhead's exceptions) can never meet stale entries.
#: Bounded like the word items below (cleared when full): at 100,000 words, a long
#: ``watch`` session with new words at every save held ~25 MB of them; a release has a few
#: hundred to a few thousand distinct words.
_CANDIDATES: dict[tuple[str, Any, int], list[_Candidate]] = {}
_CANDIDATES_KEPT = 10_000


def _candidates(word: list[Any], text: str, hyphenator: Any, min_length: int) -> list[_Candidate]:
    """The places ``word`` (with characters ``text``) may break, ascending."""
    if isinstance(word, _SplitFragLL):
        return []
    if isinstance(word, _SHYWord):
        return _soft_hyphen_candidates(word, text)
    key = (text, hyphenator, min_length)
    found = _CANDIDATES.get(key)
    if found is None:
        if len(_CANDIDATES) >= _CANDIDATES_KEPT:
            _CANDIDATES.clear()
        found = _CANDIDATES[key] = _text_candidates(text, hyphenator, min_length)
    return found


def _soft_hyphen_candidates(word: list[Any], text: str) -> list[_Candidate]:
    """A word with soft hyphens breaks only there (ReportLab keeps them as indices)."""
    result = []
    offset = 0
    for _, piece in word[1:]:
        for index in getattr(piece, "_shyIndices", ()):
            if 0 < offset + index < len(text):
                result.append(_Candidate(offset + index, SEAM_PENALTY, hyphen=True, flagged=True))
        offset += len(piece)
    return result


def _text_candidates(text: str, hyphenator: Any, min_length: int) -> list[_Candidate]:
    lead = len(text) - len(text.lstrip(_LEADING))
    core = text[lead:].rstrip(_TRAILING)
    if not core:
        return []
    if (any(c in core for c in ":@/") or core[:4].lower() == "www.") and _is_address(core):
        return [
            _Candidate(lead + p, cost, hyphen=False, flagged=False, address=True)
            for p, cost in url_breaks(core)
        ]
    if len(core) < min_length:
        return []
    if hyphenator is not None:
        positions = hyphenator.positions(text)
        if not positions:
            return []
        preferred = set(hyphenator.preferred(text))
        result = []
        for p in positions:
            hard = text[p - 1] in _HARD_HYPHENS
            cost = (
                HARD_HYPHEN_PENALTY
                if hard
                else SEAM_PENALTY
                if p in preferred
                else SYLLABLE_PENALTY
            )
            result.append(_Candidate(p, cost, hyphen=not hard, flagged=True))
        return result
    # No hyphenation (headlines): a hard hyphen may still end a line, two letters each side.
    return [
        _Candidate(i + 1, HARD_HYPHEN_PENALTY, hyphen=False, flagged=True)
        for i, c in enumerate(text)
        if c in _HARD_HYPHENS
        and 0 < i < len(text) - 1
        and _letters(text[:i]) >= 2
        and _letters(text[i + 1 :]) >= 2
    ]


@cache
def _metrics(font_name: str) -> tuple[dict[int, float], float] | None:
    """A TrueType face's advance widths (1/1000 em) and default: what ReportLab's
    stringWidth sums; None for other fonts (measured with stringWidth)."""
    face = getattr(getFont(font_name), "face", None)
    widths = getattr(face, "charWidths", None)
    if widths is None:
        return None
    return widths, float(getattr(face, "defaultWidth", 0))


def _prefix_widths(word: list[Any], positions: list[int]) -> list[float]:
    """Unshaped width of ``text[:p]`` for each ascending ``p``: one pass over the word's
    characters, with the widths ReportLab's stringWidth would give."""
    result = []
    wanted = iter(positions)
    target = next(wanted, None)
    index = 0
    total = 0.0
    for style, text in word[1:]:
        text = str(text)
        if target is None:
            break
        metrics = _metrics(style.fontName)
        scale = 0.001 * style.fontSize
        while target is not None and target <= index:
            result.append(total)
            target = next(wanted, None)
        if metrics is None:
            for k in range(len(text)):
                while target is not None and target == index + k:
                    result.append(total + stringWidth(text[:k], style.fontName, style.fontSize))
                    target = next(wanted, None)
            total += stringWidth(text, style.fontName, style.fontSize)
        else:
            widths, default = metrics
            get = widths.get
            running = 0.0
            for k, char in enumerate(text):
                while target is not None and target == index + k:
                    result.append(total + running * scale)
                    target = next(wanted, None)
                running += get(ord(char), default)
            total += running * scale
        index += len(text)
    while target is not None:
        result.append(total)
        target = next(wanted, None)
    return result


def _cumulative(word: list[Any], text: str, begin: int, end: int) -> list[float]:
    """Widths of ``text[begin:begin + j]`` for j = 0 … end - begin."""
    style = word[1][0]
    metrics = _metrics(style.fontName) if len(word) == 2 else None
    if metrics is None:
        base = _prefix_widths(word, list(range(begin, end + 1)))
        return [w - base[0] for w in base]
    widths, default = metrics
    get = widths.get
    scale = 0.001 * style.fontSize
    return [
        w * scale for w in accumulate((get(ord(c), default) for c in text[begin:end]), initial=0)
    ]


def _style_at(word: list[Any], position: int) -> Any:
    start = 0
    for style, text in word[1:]:
        start += len(text)
        if position <= start:
            return style
    return word[-1][0]


def _piece(word: list[Any], begin: int, end: int | None, hyphen: bool) -> list[Any]:
    """ReportLab's word for characters ``begin`` to ``end`` of ``word`` (to its end when
    ``end`` is None), with a hyphen added if ``hyphen``: a head (``_SplitFragH``,
    ``_SplitFragHY``) when it ends at a break, else a tail. Only this piece is measured, so
    cutting a very long word into many lines stays linear. The style objects are the
    word's own: ReportLab rejoins split pieces by them."""
    pieces: list[Any] = []
    start = 0
    for style, text in word[1:]:
        stop = start + len(text)
        lo = max(begin, start)
        hi = stop if end is None else min(end, stop)
        if lo < hi or (lo == hi and not text and begin <= start and (end is None or start < end)):
            k0, k1 = lo - start, hi - start
            indices = getattr(text, "_shyIndices", None)
            # Slice first: str() of a whole 5,000-character word on every line of it would
            # make cutting the word into lines quadratic (and the indices are ascending).
            if indices is not None:
                kept = [
                    x - k0 for x in indices[bisect_right(indices, k0) : bisect_right(indices, k1)]
                ]
                pieces.append((style, _SHYIndexedStr(str(text[k0:k1]), kept)))
            else:
                pieces.append((style, str(text[k0:k1])))
        start = stop
    if not pieces:
        pieces.append((word[-1][0], ""))
    if end is not None and hyphen:
        style, text = pieces[-1]
        if isinstance(text, _SHYIndexedStr):
            pieces[-1] = (style, _SHYIndexedStr(str(text) + "-", text._shyIndices))
        else:
            pieces[-1] = (style, str(text) + "-")
    shy = isinstance(word, _SHYWord)
    if end is not None:
        kind: type = (_SplitFragSHY if shy else _SplitFragHY) if hyphen else _SplitFragH
    elif shy:
        kind = _SHYWordHS if isinstance(word, _HSFrag) else _SHYSplitTail
    else:
        kind = _SplitFragHS if isinstance(word, _HSFrag) else _SplitFrag
    return kind([_width(pieces), *pieces])


def forget_metrics() -> None:
    """Forget the widths remembered by font name: a long process (``watch``) registered
    another face under a name (:func:`medieninfo.pdf.fonts.register_face`)."""
    _metrics.cache_clear()
    _space_width.cache_clear()
    _space_glue.cache_clear()
    _hyphen_width.cache_clear()
    _WORD_ITEMS.clear()


@cache
def _space_width(font_name: str, size: float) -> float:
    return float(stringWidth(" ", font_name, size))


@cache
def _hyphen_width(font_name: str, size: float) -> float:
    return float(stringWidth("-", font_name, size))


#: A font's ascent and descent at a size, as ReportLab gives them: asked for every word of
#: every line; a font name always means the same font in a process (fonts.register_face).
_ascent_descent = cache(getAscentDescent)


def _space(word: list[Any]) -> float:
    """The space after ``word``, in the face of its last piece (as ReportLab sets it)."""
    style = word[-1][0]
    return _space_width(style.fontName, style.fontSize)


def _width(pieces: list[Any]) -> float:
    return sum(stringWidth(str(t), s.fontName, s.fontSize) for s, t in pieces)


def _phone_ties(texts: list[str | None], run: list[int]) -> set[int]:
    """The words of ``run`` (with characters ``texts``) whose following space lies inside
    a phone number."""
    joined = " ".join([text or "\ufffc" for text in texts])
    # A phone number has decimal digits: most paragraphs end here, after one scan in C
    # (a generator over every character was ~1 % of a render).
    if DIGIT.search(joined) is None:
        return set()
    matches = list(PHONE.finditer(joined))
    if not matches:
        return set()
    ends = list(accumulate(len(text or "\ufffc") + 1 for text in texts))  # after each space
    ends = [end - 1 for end in ends]  # the space after each word
    ties: set[int] = set()
    k = 0
    for match in matches:
        while k < len(ends) and ends[k] < match.start():
            k += 1
        j = k
        while j < len(ends) and ends[j] < match.end():
            ties.add(run[j])
            j += 1
    return ties


class _ShiftedLines(list[Any]):
    """The lines of a split paragraph's rest, numbered for its own word list.

    ReportLab finds a line's words by ``sFW``, an index into the paragraph's word list; the
    rest's list starts ``offset`` words later. Lines are shifted when read, not all at
    each split: a paragraph over many pages stays linear. Reads are what ReportLab does:
    ``len``, an index, a slice, iteration.
    """

    def __init__(self, base: list[Any], start: int, offset: int) -> None:
        super().__init__()
        self.base = base
        self.start = start
        self.offset = offset
        self._made: dict[int, Any] = {}

    @classmethod
    def after(cls, lines: list[Any], count: int) -> _ShiftedLines:
        """The lines from ``count`` on, of a plain list or of shifted lines."""
        # Offsets are into the first paragraph's word list, which every rest is a tail of.
        if isinstance(lines, _ShiftedLines):
            base, start = lines.base, lines.start + count
        else:
            base, start = lines, count
        return cls(base, start, base[start].sFW)

    def __len__(self) -> int:
        return len(self.base) - self.start

    def __bool__(self) -> bool:
        return len(self) > 0

    def _line(self, index: int) -> Any:
        line = self._made.get(index)
        if line is None:
            original = self.base[self.start + index]
            line = FragLine(**original.__dict__)
            line.sFW = original.sFW - self.offset
            self._made[index] = line
        return line

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return [self._line(i) for i in range(*key.indices(len(self)))]
        if key < 0:
            key += len(self)
        if not 0 <= key < len(self):
            raise IndexError(key)
        return self._line(key)

    def __iter__(self) -> Any:
        return (self._line(i) for i in range(len(self)))


def _mode(style: Any) -> str:
    mode = getattr(style, "line_breaking", None)
    if mode:
        return str(mode)
    return "justify" if style.alignment == 4 else "ragged"  # TA_JUSTIFY


class TotalFitParagraph(Paragraph):
    """A paragraph whose lines are chosen by total fit (see the module docstring)."""

    #: Breaks inside a word that had to be made because nothing else fitted (report).
    emergency_breaks = 0

    def breakLines(self, width: Any) -> Any:
        style = self.style
        mode = _mode(style)
        if (
            mode == "first-fit"
            or style.wordWrap
            or style.endDots
            or getattr(self, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
        ):
            return super().breakLines(width)
        max_widths = list(width) if isinstance(width, (list, tuple)) else [width]
        _handleBulletWidth(self.bulletText, style, max_widths)
        key = (tuple(max_widths), mode)
        frags: Any = self.frags
        cached = getattr(self, "_total_fit_cache", None)
        if cached is not None and cached[0] == key and cached[1] is frags:
            return cached[2]
        if not frags:
            return super().breakLines(width)
        # Inline images (a callback with a width): ReportLab's own breaking. Asked of the
        # fragments, whose styles the words share: a few instead of every word's pieces.
        if any(getattr(getattr(f, "cbDefn", None), "width", 0) for f in frags):
            return super().breakLines(width)
        words = _getFragWords(frags, max_widths[0])
        # The breaker measures words unshaped, so kerning never moves a line break (the
        # same lines with and without uharfbuzz); kerning makes words narrower, not wider,
        # in all but a few pairs, by a fraction of a point.
        plain = [float(w[0]) for w in words]
        if style.shaping and bool(getFont(style.fontName).shapable):
            shape = rl_paragraph.shapeFragWord  # patched at run time (patches.py)
            words = [shape(w) for w in words]
        result = self._total_fit(words, plain, max_widths, mode)
        self._total_fit_cache = (key, self.frags, result)
        return result

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """ReportLab's split; both pieces keep the lines the paragraph was broken into.
        Breaking the first piece's words again as a paragraph of their own could flow them
        differently (its last line would become a last line); breaking the rest again
        would give the same lines at best, and over many pages it would be quadratic
        (every page re-breaking all that follows)."""
        cached = getattr(self, "_total_fit_cache", None)
        lines = getattr(getattr(self, "blPara", None), "lines", None)
        pieces = list(super().split(availWidth, availHeight))
        if len(pieces) == 2 and cached is not None and hasattr(pieces[0], "blPara"):
            first, rest = pieces
            first._total_fit_cache = (cached[0], first.frags, first.blPara)
            count = len(first.blPara.lines)
            if lines is not None and 0 < count < len(lines):
                shifted = _ShiftedLines.after(lines, count)
                rest._total_fit_cache = (cached[0], rest.frags, ParaLines(kind=1, lines=shifted))
        return pieces

    # -- choosing -----------------------------------------------------------------

    def _total_fit(
        self, words: list[Any], plain: list[float], max_widths: list[float], mode: str
    ) -> Any:
        style = self.style
        hyphenation = getattr(style, "hyphenationLang", None)
        hyphenator = getattr(hyphenation, "__self__", hyphenation) if hyphenation else None
        if hyphenator is not None and not hasattr(hyphenator, "positions"):
            hyphenator = None
        min_length = int(getattr(style, "hyphenationMinWordLength", 5))
        em = float(style.fontSize)
        narrowest = min(max_widths)
        if mode == "balance":
            params = Params(line_stretch=max(max_widths), fill_last=False, line_penalty=200,
                            tolerance=10000)  # fmt: skip
        else:
            justify = mode == "justify"
            params = Params(
                line_stretch=0.0 if justify else RAGGED_STRETCH_EM * em,
                hyphen_tail_demerits=HYPHEN_TAIL_DEMERITS,
                double_hyphen_demerits=DOUBLE_HYPHEN_DEMERITS,
                short_last_demerits=SHORT_LAST_DEMERITS,
                short_last_width=SHORT_LAST_EM * em,
                tolerance=TOLERANCE,
            )
        self.emergency_breaks = 0
        self._splitLongWordCount = self._hyphenations = 0
        self._width_max = 0.0

        lines: list[Any] = []
        new_frags: list[Any] = []
        run: list[int] = []
        line_number = 0
        for index, word in enumerate(words):
            if word[1][0]._fkind == _FK_BREAK:
                line_number = self._set_run(
                    words, plain, run, index, max_widths, line_number, params, hyphenator,
                    min_length, narrowest, mode, lines, new_frags,
                )  # fmt: skip
                run = []
                continue
            run.append(index)
        if run or not lines:
            self._set_run(
                words, plain, run, None, max_widths, line_number, params, hyphenator,
                min_length, narrowest, mode, lines, new_frags,
            )  # fmt: skip
        self.frags = new_frags
        return ParaLines(kind=1, lines=lines)

    def _set_run(
        self,
        words: list[Any],
        plain: list[float],
        run: list[int],
        break_index: int | None,
        max_widths: list[float],
        line_number: int,
        params: Params,
        hyphenator: Any,
        min_length: int,
        narrowest: float,
        mode: str,
        lines: list[Any],
        new_frags: list[Any],
    ) -> int:
        """Break the words ``run`` (ended by the forced break ``break_index`` or the end)
        and append their lines; returns the next line number."""
        widths = max_widths[min(line_number, len(max_widths) - 1) :]
        plan, ends = self._plan(
            words, plain, run, widths, params, hyphenator, min_length, narrowest, mode
        )
        break_word = words[break_index] if break_index is not None else None
        justify_breaks = bool(self.style.justifyBreaks)
        for k, line in enumerate(plan):
            last = k == len(plan) - 1
            pieces = []
            for word_index, begin, end, hyphen in line:
                word = words[word_index]
                if begin == 0 and end is None:
                    pieces.append(word)
                    continue
                if end is not None and hyphen:
                    self._hyphenations += 1
                pieces.append(_piece(word, begin, end, hyphen))
            measure = max_widths[min(line_number, len(max_widths) - 1)]
            first = len(new_frags)
            new_frags.extend(pieces)
            closing = None
            if last and break_word is not None:
                closing = break_word
                new_frags.append(break_word)
            frag_line = self._frag_line(
                pieces,
                closing,
                measure,
                first,
                line_break=closing is not None and not justify_breaks,
            )
            # For the layout report: a line that ends inside a URL, or broken anywhere.
            frag_line.break_kind = ends[k]
            lines.append(frag_line)
            if not last:
                style = pieces[-1][-1][0] if pieces and len(pieces[-1]) > 1 else words[0][1][0]
                new_frags.append(_InjectedFrag([0, (_clone(style, _fkind=_FK_BREAK, text=""), "")]))
            line_number += 1
        return line_number

    def _plan(
        self,
        words: list[Any],
        plain: list[float],
        run: list[int],
        widths: list[float],
        params: Params,
        hyphenator: Any,
        min_length: int,
        narrowest: float,
        mode: str,
    ) -> tuple[list[list[tuple[int, int, int | None, bool]]], list[str]]:
        """The lines (word index, first character, break character, hyphen) and how each
        ends: "" (a space or a hyphen), "address" (inside a URL), "emergency"."""
        if not run:
            return [[]], [""]
        # The words alone wider than the line: more than a line, whatever the spaces add
        # (the same sum of the words plus spaces, which are not negative: a float sum
        # never gets smaller), so the spaces of a long paragraph are not summed for nothing.
        words_width = sum(map(plain.__getitem__, run))
        if words_width <= widths[0]:
            natural = words_width + sum(
                _space(words[i]) for i in run[:-1] if isinstance(words[i], _HSFrag)
            )
            if natural <= widths[0]:
                # It all fits on one line (dates, headings, short items): nothing to choose.
                return [[(i, 0, None, False) for i in run]], [""]
        items: list[Item] = []
        # Where each word's items begin (its first box): the lines' words are found from
        # these, not by reading every item again.
        firsts: list[int] = []
        justify = mode == "justify"
        texts: list[str | None] = []
        # The last one-piece word's style that _text_of found splittable: the words of a
        # run of text share one style object, asked about its rise and image only once.
        splittable: Any = None
        for index in run:
            word = words[index]
            if len(word) == 2 and word[1][0] is splittable:
                texts.append(str(word[1][1]))
                continue
            text = _text_of(word)
            texts.append(text)
            if text is not None and len(word) == 2:
                splittable = word[1][0]
        ties = _phone_ties(texts, run)
        last = len(run) - 1
        remembered = _WORD_ITEMS
        glue_style: Any = None  # the style of the last space, and its glue: runs share one
        space: Item = _TIE
        for n, index in enumerate(run):
            word = words[index]
            text = texts[n]
            parts = None
            if len(word) == 2 and text and plain[index] <= narrowest:
                # _word_items' own lookup, inline: most words are remembered. (A word wider
                # than this column gets emergency breaks: never the remembered items.)
                style = word[1][0]
                parts = remembered.get((text, style.fontName, style.fontSize, plain[index],
                                        hyphenator, min_length, type(word)))  # fmt: skip
            if parts is None:
                parts = _word_items(word, text, plain[index], hyphenator, min_length, narrowest)
            firsts.append(len(items))
            items.extend(parts)
            if n < last and isinstance(word, _HSFrag):
                if index in ties:
                    # Inside a phone number: a penalty before the space makes it no
                    # breakpoint (glue breaks only after a box, tex.web §866).
                    items.append(_TIE)
                style = word[-1][0]
                if style is not glue_style:
                    glue_style = style
                    space = _space_glue(style.fontName, style.fontSize, justify)
                items.append(space)
        result = break_paragraph(items, widths, params)
        plan: list[list[tuple[int, int, int | None, bool]]] = []
        ends: list[str] = []
        begin_item = 0
        for end_item in result.breaks:
            # The line's words: the one its first item belongs to, from that item's
            # character on (a line begins at a box: after a space the next word's first,
            # after a break inside a word the box after it), then every word whose first
            # box comes before the line's end, whole.
            first = bisect_right(firsts, begin_item) - 1
            after = bisect_left(firsts, end_item, first + 1)
            line: list[tuple[int, int, int | None, bool]] = (
                [(run[first], items[begin_item].tag, None, False)]  # type: ignore[list-item]
                if begin_item < end_item
                else []
            )
            line.extend([(run[k], 0, None, False) for k in range(first + 1, after)])
            if end_item < len(items) and items[end_item].kind == 2:
                cut: Any = items[end_item].tag
                if cut[2]:
                    self.emergency_breaks += 1
                line[-1] = (line[-1][0], line[-1][1], cut[0], cut[1])
                ends.append("emergency" if cut[2] else "address" if cut[3] else "")
            else:
                ends.append("")
            plan.append(line)
            begin_item = end_item + 1
        return plan, ends

    # -- ReportLab's line structure -------------------------------------------------

    def _frag_line(
        self, pieces: list[Any], closing: Any, measure: float, first: int, *, line_break: bool
    ) -> Any:
        """One ``FragLine`` as ReportLab's breakLines builds it (paragraph.py, kind 1)."""
        n = 0
        current = space = 0.0
        words: list[Any] = []
        start = pieces[0] if pieces else closing
        f = start[-1][0]
        max_size = f.fontSize
        max_ascent, min_descent = _ascent_descent(f.fontName, f.fontSize)
        g: Any = None
        # The style ``g`` was cloned from, if comparing it to itself is sameFrag's "same"
        # (ReportLab's pure-Python sameFrag reads eight attributes of both, for every word;
        # the words of one run of text share one style object).
        source: Any = None
        # The texts of ``g`` not yet joined: ReportLab adds each word to the fragment's
        # text, and adding kerned texts (ShapedStr) copies their glyph data every time,
        # quadratic in the line; joined once, they are the same text and the same data.
        parts: list[str] = []
        measured: Any = None  # the style whose ascent and descent are counted already
        spaced: Any = None  # the style whose space width is ``space_width``
        space_width = 0.0
        for w in pieces:
            f = w[1][0]
            width = w[0]
            new = current + space + width if width > 0 else current
            text = w[1][1]
            if text:
                n += 1
            if f is not measured:
                measured = f
                ascent, descent = _ascent_descent(f.fontName, f.fontSize)
                max_size = max(max_size, f.fontSize)
                max_ascent = max(max_ascent, ascent)
                min_descent = min(min_descent, descent)
            if not words:
                g = _clone(f)
                g.text = text
                words = [g]
                parts = [text]
                source = _comparable(f)
            elif f is not source and not sameFrag(g, f):
                if len(parts) > 1:
                    g.text = _joined(parts)
                if space:
                    for previous in reversed(words):
                        if previous._fkind == _FK_TEXT:
                            if not previous.text.endswith(" "):
                                previous.text += " "
                            break
                g = _clone(f)
                g.text = text
                words.append(g)
                parts = [text]
                source = _comparable(f)
            elif space:
                tail = parts[-1]  # mostly the word before, not empty: no call
                if not (tail.endswith(" ") if tail else _ends_with_space(parts)):
                    parts.append(" ")
                parts.append(text)
            else:
                parts.append(text)
            if isinstance(w, _HSFrag):
                last = w[-1][0]
                if last is not spaced:
                    spaced = last
                    space_width = _space_width(last.fontName, last.fontSize)
                space = space_width
            else:
                space = 0
            real = False
            for style, piece in w[2:] if len(w) > 2 else ():
                if len(parts) > 1:
                    g.text = _joined(parts)
                g = _clone(style)
                g.text = piece
                parts = [piece]
                real = real or bool(piece)
                words.append(g)
                source = _comparable(style)
                measured = None
                ascent, descent = _ascent_descent(g.fontName, g.fontSize)
                max_size = max(max_size, g.fontSize)
                max_ascent = max(max_ascent, ascent)
                min_descent = min(min_descent, descent)
            if not text and real:
                n += 1
            current = new
        if len(parts) > 1:
            g.text = _joined(parts)
        if closing is not None:
            words.append(_clone(closing[1][0]))
        self._width_max = max(float(self._width_max), current)
        return FragLine(
            extraSpace=measure - current,
            wordCount=n,
            lineBreak=line_break,
            words=words,
            fontSize=max_size,
            ascent=max_ascent,
            descent=min_descent,
            maxWidth=measure,
            sFW=first,
        )


#: A word's boxes and penalties, by what they depend on: the same words come back in every
#: paragraph (and every release of a batch), so each is measured and cut once. Items are
#: shared between paragraphs (the breaker only reads them); their tags are relative to the
#: word: a box's first character; a penalty's (position, hyphen, emergency, address).
#: Bounded like the other word caches: cleared when full, so a long ``watch`` stays small.
_WORD_ITEMS: dict[tuple[Any, ...], tuple[Item, ...]] = {}
_WORD_ITEMS_KEPT = 5_000
#: A penalty before a space inside a phone number: no break there.
_TIE = penalty(0.0, INFINITY)


@cache
def _space_glue(font_name: str, size: float, justify: bool) -> Item:
    """The space after a word in ``font_name``: stretchable only when justifying."""
    space = _space_width(font_name, size)
    return glue(space, space / 2, 0.0) if justify else glue(space)


def _word_items(
    word: list[Any],
    text: str | None,
    total: float,
    hyphenator: Any,
    min_length: int,
    narrowest: float,
) -> tuple[Item, ...]:
    """The boxes and penalties of one word (``total`` wide as ReportLab measured it)."""
    if text is None or len(text) < 2:
        return (box(total, tag=0),)
    cacheable = len(word) == 2 and total <= narrowest and not isinstance(word, _SHYWord)
    if cacheable:
        style = word[1][0]
        key = (text, style.fontName, style.fontSize, total, hyphenator, min_length, type(word))
        found = _WORD_ITEMS.get(key)
        if found is not None:
            return found
    candidates = _candidates(word, text, hyphenator, min_length)
    if total > narrowest:
        candidates = _with_emergency(word, text, candidates, narrowest)
    if not candidates:
        made: tuple[Item, ...] = (box(total, tag=0),)
    else:
        parts: list[Item] = []
        prefix = _prefix_widths(word, [*[c.position for c in candidates], len(text)])
        unshaped = prefix[-1]
        previous = 0.0
        begin = 0
        for c, at in zip(candidates, prefix, strict=False):
            parts.append(box(at - previous, tag=begin))
            hyphen_width = _hyphen_width(*_font(_style_at(word, c.position))) if c.hyphen else 0.0
            parts.append(
                penalty(hyphen_width, c.cost, flagged=c.flagged,
                        tag=(c.position, c.hyphen, c.emergency, c.address))
            )  # fmt: skip
            previous = at
            begin = c.position
        # The shaped (kerned) word may be a little narrower or wider than the sum of its
        # unshaped pieces; the wider of the two keeps every line inside.
        parts.append(box(unshaped - previous + max(0.0, total - unshaped), tag=begin))
        made = tuple(parts)
    if cacheable:
        if len(_WORD_ITEMS) >= _WORD_ITEMS_KEPT:
            _WORD_ITEMS.clear()
        _WORD_ITEMS[key] = made
    return made


def _with_emergency(
    word: list[Any], text: str, candidates: list[_Candidate], narrowest: float
) -> list[_Candidate]:
    """Emergency breaks inside any stretch wider than the column: cut into pieces that
    fill a whole line each (so such a stretch starts a line of its own). Only those
    cuts are offered, not every character: linear in the stretch, few breakpoints."""
    positions = [c.position for c in candidates]
    bounds = [0, *positions, len(text)]
    widths = _prefix_widths(word, bounds)
    extra: list[_Candidate] = []
    for k in range(len(bounds) - 1):
        begin, end = bounds[k], bounds[k + 1]
        if widths[k + 1] - widths[k] <= narrowest:
            continue
        # Exact widths of every prefix of the stretch, in every face it uses (one pass).
        cumulative = _cumulative(word, text, begin, end)
        at, last = 0, end - begin
        while cumulative[last] - cumulative[at] > narrowest and last - at > 1:
            fits = bisect_right(cumulative, cumulative[at] + narrowest, at + 1, last) - 1
            at = max(at + 1, fits)
            extra.append(
                _Candidate(
                    begin + at, EMERGENCY_PENALTY, hyphen=False, flagged=False, emergency=True
                )
            )
    if not extra:
        return candidates
    return sorted([*candidates, *extra], key=lambda c: c.position)


def _ends_with_space(parts: list[str]) -> bool:
    for part in reversed(parts):
        if part:
            return part.endswith(" ")
    return False


def _joined(parts: list[str]) -> str:
    """``parts[0] + parts[1] + …`` as Python would add them, in one step: a ShapedStr
    (kerned text) if any part is one, with every part's glyph data, plain characters
    counting as ReportLab's simple glyphs; else a plain str."""
    for part in parts:  # a loop, not any() over a generator: called for every line
        if isinstance(part, ShapedStr):
            break
    else:
        return "".join(parts)
    data = Glyphs()  # a list that keeps its shaped parts, for showtext's kerning
    shaped = data.shaped = []
    for part in parts:
        if isinstance(part, ShapedStr):
            shaped.append((len(data), part))
            data.extend(part.__shapeData__)
        else:
            data.extend(len(part) * [_SIMPLE_GLYPH])
    return ShapedStr("".join(parts), shapeData=data)


def _clone(style: Any, **changes: Any) -> Any:
    """``style.clone(**changes)`` for ReportLab's ParaFrag, with one copy of its attributes
    instead of ABag's two (keywords, then ``__init__``'s update): a line makes two or
    three. Any other class is asked for its own clone."""
    if type(style) is not ParaFrag:
        return style.clone(**changes)
    copy = object.__new__(ParaFrag)
    copy.__dict__.update(style.__dict__, **changes)
    return copy


def _comparable(style: Any) -> Any:
    """``style``, or None when sameFrag never calls it the same as its own clone (a
    callback or a line break)."""
    attributes = style.__dict__
    return None if "cbDefn" in attributes or "lineBreak" in attributes else style


def _font(style: Any) -> tuple[str, float]:
    return style.fontName, style.fontSize
