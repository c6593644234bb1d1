"""Every change medieninfo makes to ReportLab itself, applied by one call at one moment.

:func:`apply` runs once per process, at the start of :func:`medieninfo.render.prepare`,
before ReportLab reads a font or an image. :data:`PATCHED` lists every ReportLab name it
replaces; ``tests/pdf/test_patches.py`` fingerprints the originals, so a ReportLab release
that changes one of them fails the tests instead of silently changing the PDFs.

- **No URL fetching.** ReportLab can open ``http(s)://``, ``ftp://``, ``file:`` and
  ``data:`` URLs wherever it reads a file, gated by ``rl_config.trustedHosts``, which an
  environment variable (``RL_trustedHosts``) or a ``reportlab_settings.py`` on the path can
  switch on. medieninfo only hands ReportLab local paths it has checked, so fetching is off
  for good: no trusted host, no trusted scheme, and a URL reader that refuses.
- **U+202F does not break.** ReportLab treats NARROW NO-BREAK SPACE as a place to break a
  line and then drops it, which would let ``z. B.`` or ``12 000`` fall apart at a line end
  and lose the narrow space from the PDF's text; lines break only at breakable white space.
- **Hyphenation inside German quotes.** ReportLab strips punctuation around a word before
  asking the hyphenator, but not German closing quotes (“ ‘) or guillemets, so ``Klima“``
  would never be hyphenated; the patterns are widened to include them.
- **Binary streams.** ASCII85 only made streams a quarter larger and cost time to encode.
- **An EOL before ``endstream``**, as PDF/A-2 (ISO 19005-2, 6.1.7.1) wants; ReportLab
  writes ``…data endstream``. The EOL is not part of the data, so /Length stays.
- **Kerning that works** with current uharfbuzz (:func:`_fix_shaping`): a word ReportLab
  rejoins after hyphenation reaches HarfBuzz as a ``str`` subclass, which every uharfbuzz
  tried (0.37.3 to 0.57.0) refuses with a ``TypeError``, so it is passed as ``str``; a word
  that mixes fonts is left unshaped, since ReportLab would draw wrong glyphs for it; only
  kerning (with HarfBuzz's default features) is asked for, no ligatures; and shaped words
  are remembered, which halves what shaping adds to a warm render (watch, batch workers).
- **Every drawn code maps to its character**, as PDF/A-2u and PDF/UA-1 want (ISO 19005-2
  6.2.11.7.2, ISO 14289-1 7.21.7). ReportLab draws U+00A0 NO-BREAK SPACE with the code of
  U+0020, so a reader, a search and a copy find an ordinary space where the text has a
  no-break one: :func:`_fix_nbsp` gives U+00A0 its own code. And its ToUnicode CMaps list
  all 256 codes of a subset, the unused ones (code 0, .notdef, and the free places of the
  first subset) mapped to U+0000, which both validators reject: :func:`to_unicode_cmap`
  writes only the codes in use, in blocks of at most 100 entries (the limit of
  ``beginbfchar``, PDF Reference 5.9.2 / Adobe Technical Note 5411); each CMap is
  made and compressed once per font and subset, as the subsets are.
- **Long words cost what one line costs** (:func:`_bound_long_words`). When a word does not
  fit, ReportLab tries every break of the whole rest of the word, longest first, measuring
  each head (and, for a word of several styles, the whole tail) again: per line that is
  quadratic in the word's length, so a 4 KB hyphen chain or a 40 KB URL without spaces took
  a minute. It is shown only the part of the word that can reach the end of the line (plus
  a few letters of context); what lies beyond is appended to the tail unchanged. Heads
  longer than that part cannot fit anyway, so the chosen break is the same.
- **Text written with C loops** (:func:`_fast_shaped_text`): the same operators ReportLab's
  ``_formatText`` writes, for TrueType text by :func:`.showtext.show` (codes, escapes and
  kerning by ``str.translate`` and ``map``); a kerned string with moved glyphs (marks) in
  one pass per glyph, without ReportLab's cluster bookkeeping; other text goes to ReportLab.
- **Font subsets made once** (:func:`_remember_subsets`): a subset of the same face with
  the same characters is the same bytes, so it is built and compressed once per process
  (watch, batch workers), not at every save; so are its ``/Widths`` and font descriptor
  (:func:`_remember_font_widths`).
- **PDF values written directly** (:func:`_integers_as_written`): ReportLab's generic
  object formatter tries its cases in turn for every value of a PDF (font widths, object
  numbers, names, every dictionary and array), builds each key again, and prints integers
  through its float formatter; the common values, dictionaries and arrays are written as
  it writes them, in one step each, and so are streams and the document's loop over its
  objects; ``PDFName`` is remembered by its text.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from ..text.memo import BoundedMemo

#: Every ReportLab name :func:`apply` replaces, as ``module:attribute``.
PATCHED = (
    "reportlab.rl_config:trustedHosts",
    "reportlab.rl_config:trustedSchemes",
    "reportlab.rl_config:useA85",
    "reportlab.lib.utils:rlUrlRead",
    "reportlab.platypus.paragraph:split",
    "reportlab.platypus.paragraph:_hy_pfx_pat",
    "reportlab.platypus.paragraph:_hy_sfx_pat",
    "reportlab.platypus.paragraph:shapeFragWord",
    "reportlab.pdfbase.ttfonts:shapeFragWord",
    "reportlab.pdfbase.ttfonts:uharfbuzz",
    "reportlab.pdfbase.pdfdoc:PDFStream.format",
    "reportlab.pdfbase.ttfonts:makeToUnicodeCMap",
    "reportlab.pdfbase.ttfonts:TTFont.splitString",
    "reportlab.platypus.paragraph:_hyphenateFragWord",
    "reportlab.platypus.paragraph:_SHYWord.shyphenate",
    "reportlab.pdfgen.textobject:PDFTextObject._formatText",
    "reportlab.pdfbase.ttfonts:TTFontFile.makeSubset",
    "reportlab.pdfbase.pdfdoc:PDFStreamFilterZCompress.encode",
    "reportlab.pdfbase.pdfdoc:format",
    "reportlab.pdfbase.pdfdoc:PDFDictionary.format",
    "reportlab.pdfbase.pdfdoc:PDFIndirectObject.format",
    "reportlab.pdfbase.ttfonts:TTFont.stringWidth",
    "reportlab.pdfbase.pdfdoc:PDFName",
    "reportlab.pdfbase.pdfdoc:PDFDocument.format",
    "reportlab.pdfbase.ttfonts:TTFont.addObjects",
    "reportlab.pdfbase.pdfdoc:PDFResourceDictionary.format",
    "reportlab.pdfbase.pdfdoc:PDFType1Font.format",
)

_done = False


def apply() -> None:
    """Apply every patch, once per process; cheap to call again."""
    global _done
    if _done:
        return
    _refuse_urls()
    _break_only_at_breakable_space()
    _binary_streams()
    _eol_before_endstream()
    _fix_to_unicode()
    _fix_nbsp()
    _fix_shaping()
    _bound_long_words()
    _fast_shaped_text()
    _remember_subsets()
    _remember_font_widths()
    _integers_as_written()
    _remember_widths()
    _done = True


def _refuse(url: Any, headers: Any = None) -> NoReturn:
    # ReportLab turns an OSError from the reader into "cannot open resource".
    raise OSError(f"medieninfo never fetches URLs: {url!r}")


def _refuse_urls() -> None:
    from reportlab import rl_config
    from reportlab.lib import utils

    rl_config.trustedHosts = None
    rl_config.trustedSchemes = []
    utils.rlUrlRead = _refuse


def _break_only_at_breakable_space() -> None:
    from reportlab.platypus import paragraph

    breakable = paragraph._wsc.replace("\u202f", "")
    split_re = re.compile(f"[{re.escape(breakable)}]+").split

    def split(text: str | bytes, delim: str | bytes | None = None) -> list[str]:
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if isinstance(delim, bytes):
            delim = delim.decode("utf8")
        if delim is not None:
            return text.split(delim)
        words = split_re(text)
        # ReportLab's own split keeps the empty ends only when the text has a U+00A0.
        return words if "\xa0" in text else [word for word in words if word]

    paragraph.split = split
    paragraph._hy_pfx_pat = re.compile("^['\"([{\xbf\u2018\u201a\u201c\u201e\xab\xbb\u2039\u203a]+")
    paragraph._hy_sfx_pat = re.compile(
        "[]'\")}?!.,;:\u2018\u2019\u201b\u201c\u201d\u201f\xab\xbb\u2039\u203a]+$"
    )


def _binary_streams() -> None:
    from reportlab import rl_config

    rl_config.useA85 = 0


ENDSTREAM = b"endstream\n"


def _eol_before_endstream() -> None:
    from reportlab.pdfbase import pdfdoc

    original = pdfdoc.PDFStream.format

    def format(self: Any, document: Any) -> bytes:
        out: bytes = original(self, document)
        assert out.endswith(ENDSTREAM)
        return out[: -len(ENDSTREAM)] + b"\n" + ENDSTREAM

    pdfdoc.PDFStream.format = format


#: OpenType features for ReportLab's shaping. ReportLab asks for ``liga`` and ``dlig`` too;
#: both stay off: German must not ligate across a compound's parts (Auf|lage, Schiff|fahrt),
#: which a font's ``liga`` cannot know, and Noto Sans's ligatures map to U+FB00–FB04, so the
#: PDF's text would read "ﬁ" for "fi" (ReportLab writes no /ActualText). HarfBuzz's defaults
#: (ccmp, locl, mark, mkmk) stay on: they place accents.
SHAPING_FEATURES = {"kern": True, "liga": False, "dlig": False}


#: Shaped words remembered per generation (at most twice as many are kept): a shaped word
#: costs about 1.2 KB, so the memo stays under ~10 MB, and a release has a few hundred to a
#: few thousand distinct words. It was 50,000, and ``watch`` grew by ~60 MB over a hundred
#: re-renders of changing text.
SHAPED_WORDS = 2_048


def forget_shapes(font_name: str) -> None:
    """Drop every remembered shape of ``font_name`` (its file changed: see fonts.py)."""
    from reportlab.pdfbase import ttfonts

    from . import shaping

    memo = getattr(ttfonts.shapeFragWord, "memo", None)
    if memo is not None:
        memo.drop(lambda key: key[0] == font_name)
    shaping.forget(font_name)


def _fix_shaping() -> None:
    """Make ReportLab 5.1's HarfBuzz shaping work with current uharfbuzz; no-op without it."""
    from reportlab.pdfbase import ttfonts
    from reportlab.platypus import paragraph

    harfbuzz = ttfonts.uharfbuzz
    if harfbuzz is None or getattr(harfbuzz, "_medieninfo", False):
        return
    import types

    class Buffer(harfbuzz.Buffer):  # type: ignore[name-defined]
        def add_str(self, text: str, *args: object, **kwargs: object) -> None:
            # ReportLab passes a rejoined word as its ShapedStr (a str subclass); uharfbuzz's
            # Cython signature accepts exactly str. The characters are the same: str() of a
            # str subclass is a plain copy, the shaping data is recomputed from it anyway.
            super().add_str(str(text), *args, **kwargs)

    # ReportLab looks up uharfbuzz.Buffer in its module's global at each call: give it a
    # module that is uharfbuzz with this Buffer, leaving uharfbuzz itself untouched.
    module = types.ModuleType(harfbuzz.__name__, harfbuzz.__doc__)
    module.__dict__.update({k: v for k, v in vars(harfbuzz).items() if not k.startswith("__")})
    module.Buffer = Buffer  # type: ignore[attr-defined]
    module._medieninfo = True  # type: ignore[attr-defined]
    ttfonts.uharfbuzz = module
    original = ttfonts.shapeFragWord
    from .shaping import shape_plain

    # Shaped one-piece words by (font, size, text): ReportLab reshapes every word each time
    # it breaks a paragraph's lines (2-3 times per paragraph), in a Python loop per glyph.
    # A font name always means the same font in a process (fonts.register_face).
    shaped: BoundedMemo[tuple[str, float, str], tuple[Any, ...]] = BoundedMemo(SHAPED_WORDS)

    # makeShapedFragWord's answer by a word's class (it searches a list for each word).
    kinds: dict[type, type] = {}

    def shape_word(word: Any, features: Any = SHAPING_FEATURES, force: bool = False) -> Any:
        if isinstance(word, ttfonts.ShapedFragWord):
            return word
        if len(word) == 2 and features is SHAPING_FEATURES and not force:
            style, text = word[1]
            if not hasattr(style, "cbDefn"):
                key = (style.fontName, style.fontSize, str(text))
                hit = shaped.get(key)
                if hit is None:
                    # () when HarfBuzz changed nothing; else the width and the shaped text.
                    hit = shape_plain(style.fontName, style.fontSize, key[2], features)
                    shaped.put(key, hit)
                if not hit:
                    return word
                kind = kinds.get(word.__class__)
                if kind is None:  # ReportLab's class for a shaped word of this kind
                    kind = kinds[word.__class__] = ttfonts.makeShapedFragWord(word)
                return kind([hit[0], (style, hit[1])])
        # ReportLab shapes a whole word with its first piece's font and reads the glyph ids
        # back in each piece's own font: a word mixing faces (**Dort**mund, a fallback symbol
        # inside a word) would get wrong glyphs or crash (no hbAddPrivate). Such a word
        # keeps its plain advances, i.e. goes unkerned.
        fonts = {style.fontName for style, _ in word[1:] if not hasattr(style, "cbDefn")}
        if len(fonts) > 1:
            return word
        # ReportLab 4.4.0 has no ``force`` parameter.
        return original(word, features, force) if force else original(word, features)

    # Paragraphs import the function by name; shapeStr (canvas text) finds it in ttfonts.
    shape_word.memo = shaped  # type: ignore[attr-defined]  # fonts.py forgets a changed font
    shape_word.original = original  # type: ignore[attr-defined]  # what shaping.py matches
    ttfonts.shapeFragWord = shape_word
    paragraph.shapeFragWord = shape_word


#: ``beginbfchar`` takes at most 100 entries (Adobe Technical Note 5411, 1.4.3).
_BFCHAR_BLOCK = 100


def _fix_to_unicode() -> None:
    from reportlab.pdfbase import ttfonts

    # Remembered per font and subset, as the subsets themselves are (_remember_subsets):
    # the CMap depends on nothing else, and as a _Subset its compressed form is made once.
    made: dict[tuple[str, tuple[int, ...]], _Subset] = {}

    def remembered_cmap(fontname: str, subset: list[int]) -> bytes:
        key = (fontname, tuple(subset))
        found = made.get(key)
        if found is None:
            if len(made) >= _SUBSETS_KEPT:
                made.clear()
            # UTF-8, as ReportLab's compression encodes a str content (the CMap is ASCII).
            found = made[key] = _Subset(to_unicode_cmap(fontname, subset).encode("utf-8"))
        return found

    ttfonts.makeToUnicodeCMap = remembered_cmap


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for one subset, with only the codes it uses.

    Code 0 is .notdef in every subset and the first subset keeps places 1-31 free for the
    first non-ASCII characters; both hold 0 in ``subset`` until used and are left out, so
    no code maps to U+0000 (PDFA2U-UNICODE-VALUE-001, PDFUA1-FONT-UNICODE-VALUE-001).
    """
    entries = [f"<{code:02X}> <{value:04X}>" for code, value in enumerate(subset) if value]
    blocks: list[str] = []
    for start in range(0, len(entries), _BFCHAR_BLOCK):
        chunk = entries[start : start + _BFCHAR_BLOCK]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<00> <FF>",
            "endcodespacerange",
            *blocks,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


def _fix_nbsp() -> None:
    """Draw U+00A0 with a code of its own, which ReportLab's ToUnicode then maps to U+00A0.

    ``TTFont.splitString`` begins its loop with ``if code == 0xa0: code = 32``; the rest of
    it is kept as ReportLab 4.4-5.1 has it (BSD licence). The glyphs are the same width in
    every font we know, and a no-break space is never stretched: our text is set ragged.
    """
    from reportlab.pdfbase import pdfdoc, ttfonts

    def split_string(self: Any, text: str | bytes, doc: Any, encoding: str = "utf-8") -> Any:
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = ttfonts.TTFont.State(self._asciiReadable, self)
        skip31 = 31 if self._asciiReadable and state.nextCode < 32 else -256
        current = -1
        run: list[int] = []
        results: list[tuple[int, bytes]] = []
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        char_to_glyph = self.face.charToGlyph
        assignments = state.assignments
        subsets = state.subsets
        for code in map(ord, text):
            if code in assignments:
                n = assignments[code]
            elif code not in char_to_glyph:
                n = 0
            else:
                if state.frozen:
                    raise pdfdoc.PDFError(
                        f"Font {self.fontName} is already frozen, cannot add U+{code:04X}"
                    )
                n = state.nextCode
                if n & 0xFF == 32:
                    # Code 32 is a space in every subset (ReportLab's word spacing).
                    if n != 32:
                        subsets[n >> 8].append(32)
                    state.nextCode += 1
                    n = state.nextCode
                if n > 32:
                    if not (n & 0xFF):
                        subsets.append([0])  # code 0 of a new subset: .notdef
                        state.nextCode += 1
                        n = state.nextCode
                    subsets[n >> 8].append(code)
                else:
                    if n == skip31:
                        state.nextCode = 127  # places 1-31 are full: continue after ASCII
                    subsets[0][n] = code
                state.nextCode += 1
                assignments[code] = n
            if (n >> 8) != current:
                if run:
                    results.append((current, bytes(run)))
                current = n >> 8
                run = []
            run.append(n & 0xFF)
        if run:
            results.append((current, bytes(run)))
        return results

    ttfonts.TTFont.splitString = split_string


#: Characters beyond the end of the line that the hyphenator still sees: more than the
#: right-hand hyphen minimum (3) and a URL part, so that the breaks near the line's end are
#: the ones it would find in the whole word.
_CONTEXT_CHARS = 16


def _cut_index(pieces: Any, max_width: float) -> tuple[int, int] | None:
    """Where to cut a word's pieces so that no head beyond the cut fits in ``max_width``:
    (piece, offset) a few characters after the first prefix wider than the line, or None
    when the whole word is not much longer than that."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    step = 32
    width = 0.0
    chars = 0
    cut: int | None = None
    for style, text in pieces:
        for start in range(0, len(text), step):
            width += stringWidth(text[start : start + step], style.fontName, style.fontSize)
            if width > max_width:
                cut = chars + min(start + step, len(text)) + _CONTEXT_CHARS
                break
        if cut is not None:
            break
        chars += len(text)
    if cut is None:
        return None
    chars = 0
    for index, (_style, text) in enumerate(pieces):
        if chars + len(text) > cut:
            offset = cut - chars
            # End the part on a letter or digit: ReportLab reads a trailing hyphen or
            # punctuation as the end of the word and would no longer break it there.
            # (str's own indexing: a shaped string's maps indices to glyphs.)
            while offset < len(text) and not str.__getitem__(text, offset - 1).isalnum():
                offset += 1
            return (index, offset) if 0 < offset < len(text) else None
        chars += len(text)
    return None


def _bound_long_words() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import paragraph

    def width_of(pieces: Any) -> float:
        return float(sum(stringWidth(t, s.fontName, s.fontSize) for s, t in pieces))

    def cut_word(word: Any, index: int, offset: int) -> tuple[Any, float, list[Any]]:
        """The word's head (same class) up to the cut, its width, and the pieces after."""
        pieces = word[1:]
        style, text = pieces[index]
        left, right = text[:offset], text[offset:]
        if isinstance(text, paragraph._SHYIndexedStr):
            marks = text._shyIndices
            left = paragraph._SHYIndexedStr(left, [x for x in marks if x < offset])
            right = paragraph._SHYIndexedStr(right, [x - offset for x in marks if x > offset])
        head_pieces = [*pieces[:index], (style, left)]
        head_width = width_of(head_pieces)
        head = list.__new__(type(word))
        list.__init__(head, [head_width, *head_pieces])
        return head, head_width, [(style, right), *pieces[index + 1 :]]

    def join_rest(tail: Any, rest: list[Any], extra_width: float) -> None:
        tail[0] += extra_width
        style, text = rest[0]
        if len(tail) > 1 and tail[-1][0] is style:
            last = tail[-1][1]
            if isinstance(last, paragraph._SHYIndexedStr) or isinstance(
                text, paragraph._SHYIndexedStr
            ):
                marks = [
                    *getattr(last, "_shyIndices", ()),
                    *(len(last) + x for x in getattr(text, "_shyIndices", ())),
                ]
                tail[-1] = (style, paragraph._SHYIndexedStr(str(last) + str(text), marks))
            else:
                tail[-1] = (style, last + text)
            tail.extend(rest[1:])
        else:
            tail.extend(rest)

    original = paragraph._hyphenateFragWord

    def hyphenate(
        hyphenator: Any, word: Any, new_width: float, max_width: float, *args: Any, **kw: Any
    ) -> Any:
        where = None
        if not isinstance(word, paragraph._SplitFragLL) and not any(
            hasattr(style, "cbDefn") for style, _text in word[1:]
        ):
            where = _cut_index(word[1:], max_width)
        if where is None:
            return original(hyphenator, word, new_width, max_width, *args, **kw)
        head, head_width, rest = cut_word(word, *where)
        result = original(
            hyphenator, head, new_width - word[0] + head_width, max_width, *args, **kw
        )
        if result:
            join_rest(result[-1], rest, word[0] - head_width)
        return result

    hyphenate.original = original  # type: ignore[attr-defined]  # for the tests
    paragraph._hyphenateFragWord = hyphenate

    original_shy = paragraph._SHYWord.shyphenate

    def shyphenate(self: Any, new_width: float, max_width: float) -> Any:
        where = None
        if not any(hasattr(style, "cbDefn") for style, _text in self[1:]):
            where = _cut_index(self[1:], max_width)
        if where is None:
            return original_shy(self, new_width, max_width)
        head, head_width, rest = cut_word(self, *where)
        result = original_shy(head, new_width - self[0] + head_width, max_width)
        # The width up to the first soft hyphen, which ReportLab's line breaker reads.
        self._fsww = head._fsww
        if result:
            join_rest(result[-1], rest, self[0] - head_width)
        return result

    shyphenate.original = original_shy  # type: ignore[attr-defined]  # for the tests
    paragraph._SHYWord.shyphenate = shyphenate


def _fast_shaped_text() -> None:
    """Write a kerned string's ``TJ``/``Tj`` operators the way ReportLab 5.1's
    ``PDFTextObject._formatText`` does, byte for byte, in one pass per glyph.

    ReportLab's shaped branch builds a list per cluster of ``-x_offset, glyph code,
    width - x_advance + x_offset`` for each glyph, drops the zeros, joins runs of codes into
    one string and sums runs of numbers (``sum`` from 0, left to right), drops the sums
    that print as ``0``, and writes ``(…) Tj`` for a single string, else ``[…] TJ``. A new
    cluster only starts where a glyph's vertical offset changes the rise; our fonts are
    kerned, never shifted up or down, so a string with any vertical offset (or with fewer
    shaping entries than characters) goes to ReportLab's own code, unchanged.
    """
    from reportlab.lib.rl_accel import fp_str
    from reportlab.pdfbase.pdfmetrics import getFont
    from reportlab.pdfbase.ttfonts import ShapedStr
    from reportlab.pdfgen import textobject

    original = textobject.PDFTextObject._formatText

    from .showtext import codes_for, show

    def format_text(self: Any, text: Any) -> str:
        font = getFont(self._fontname)
        if font._dynamicFont and isinstance(text, str):
            shown = show(self, codes_for(font, self._canvas._doc), text)
            if shown is not None:
                return shown
        if not (font._dynamicFont and font.shapable and isinstance(text, ShapedStr)):
            return original(self, text)
        shape_data = text.__shapeData__
        if len(shape_data) < len(text) or any(sd.y_offset for sd in shape_data):
            return original(self, text)
        canv = self._canvas
        escape = canv._escape
        out: list[str] = []
        template = None
        position = 0
        for subset, codes in font.splitString(text, canv._doc):
            if subset != self._curSubset:
                if not template:
                    template = f"{fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"
                out.append(f"{font.getSubsetInternalName(subset, canv._doc)} {template}")
                self._curSubset = subset
            parts: list[str] = []
            run = bytearray()
            total: Any = None  # the running sum of a run of numbers, None in a run of codes
            for code, sd in zip(codes, shape_data[position : position + len(codes)], strict=True):
                before = -sd.x_offset
                if before:
                    if total is None:
                        if run:
                            parts.append(f"({escape(bytes(run))})")
                            run = bytearray()
                        total = 0 + before
                    else:
                        total += before
                if total is not None:
                    number = fp_str(total)
                    if number != "0":
                        parts.append(number)
                    total = None
                run.append(code)
                after = sd.width - sd.x_advance + sd.x_offset
                if after:
                    parts.append(f"({escape(bytes(run))})")
                    run = bytearray()
                    total = 0 + after
            if total is not None:
                number = fp_str(total)
                if number != "0":
                    parts.append(number)
            elif run:
                parts.append(f"({escape(bytes(run))})")
            position += len(codes)
            if len(parts) == 1 and parts[0].startswith("("):
                out.append(f"{parts[0]} Tj")
            else:
                out.append(f"[{' '.join(parts)}] TJ")
        return " ".join(out)

    format_text.__wrapped__ = original  # type: ignore[attr-defined]  # for the tests
    textobject.PDFTextObject._formatText = format_text


#: How many font subsets a process keeps (a few per release, ~20-60 KB each): a batch
#: worker reuses them across releases, and `watch` keeps its memory flat (test_watch_state).
_SUBSETS_KEPT = 16


class _Subset(bytes):
    """A font subset's bytes, with their Flate-compressed form once it has been made."""

    compressed: bytes | None = None


def _remember_subsets() -> None:
    """Build each font subset once per process, and compress it once.

    ``TTFontFile.makeSubset`` reads the face and the list of characters only (it changes
    nothing), and zlib gives the same bytes for the same input, so a remembered subset is
    what ReportLab would make again. Keyed by the face object itself (which the key keeps
    alive), so a face read again is never confused with an old one.
    """
    from reportlab.pdfbase import pdfdoc, ttfonts

    make = ttfonts.TTFontFile.makeSubset
    encode = pdfdoc.PDFStreamFilterZCompress.encode
    made: dict[tuple[Any, tuple[int, ...]], _Subset] = {}

    def make_subset(self: Any, subset: Any) -> bytes:
        key = (self, tuple(subset))
        found = made.get(key)
        if found is None:
            if len(made) >= _SUBSETS_KEPT:
                made.clear()
            found = made[key] = _Subset(make(self, subset))
        return found

    def compress(self: Any, text: Any) -> bytes:
        if type(text) is _Subset:
            if text.compressed is None:
                text.compressed = encode(self, bytes(text))
            return text.compressed
        # Page content (a footer's form too) is compressed at every save: remembering it
        # by its content would be caching pages between releases.
        result: bytes = encode(self, text)
        return result

    ttfonts.TTFontFile.makeSubset = make_subset
    pdfdoc.PDFStreamFilterZCompress.encode = compress


#: What a font descriptor's file reference is written as before it is known.
_PLACEHOLDER = b"\x00FontFile2\x00"


def _remember_font_widths() -> None:
    """Write each font subset's ``/Widths`` and font descriptor once per process.

    ``TTFont.addObjects`` (ReportLab 5.1's, copied below but for two lines) looks up the
    width of each of a subset's up to 256 codes and hands them to the formatter as an
    array, at every save, for the same few subsets. A subset's widths are its face's
    ``charWidths`` (read once, see :func:`_remember_widths`), so they are written once per
    face, subset and ``pdfMultiLine``, keyed as the subsets themselves are
    (:func:`_remember_subsets`); their bytes are what the formatter writes for the array.
    Widths other than integers, and ``pdfComments`` on, keep ReportLab's array. The font
    descriptor (``TTFontFace.addSubsetObjects``, its steps copied) is the same bytes for a
    face and subset name but for its font file's reference, so those are written once
    too and the reference put in (a :class:`~.written.Written` object).
    """
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc, ttfonts

    from .written import Written

    original = ttfonts.TTFont.addObjects
    add_subset_objects = ttfonts.TTFontFace.addSubsetObjects
    made: dict[tuple[Any, tuple[int, ...], Any], bytes] = {}
    descriptors: dict[tuple[Any, str, Any], tuple[bytes, bytes]] = {}

    def widths_of(face: Any, subset: list[int], document: Any) -> Any:
        key = (face, tuple(subset), rl_config.pdfMultiLine)
        found = made.get(key)
        if found is None:
            widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset)))
            if rl_config.pdfComments or any(type(width) is not int for width in widths.sequence):
                return widths
            if len(made) >= _SUBSETS_KEPT:
                made.clear()
            found = made[key] = pdfdoc.format(widths, document)
        return found

    def descriptor_of(face: Any, doc: Any, fontname: str, subset: list[int]) -> Any:
        # TTFontFace.addSubsetObjects' steps (ReportLab 5.1): the font file, then the font
        # descriptor, whose bytes but for the file's reference are the same for a face and
        # subset name (the face's metrics and flags): written once, the reference put in.
        if type(face).addSubsetObjects is not add_subset_objects or rl_config.pdfComments:
            return face.addSubsetObjects(doc, fontname, subset)
        fontFile = pdfdoc.PDFStream()
        fontFile.content = face.makeSubset(subset)
        fontFile.dictionary["Length1"] = len(fontFile.content)
        if doc.compression:
            fontFile.filters = [pdfdoc.PDFZCompress]
        fontFileRef = doc.Reference(fontFile, f"fontFile:{face.filename}({fontname})")
        key = (face, fontname, rl_config.pdfMultiLine)
        found = descriptors.get(key)
        if found is None:
            flags = face.flags & ~ttfonts.FF_NONSYMBOLIC
            flags = flags | ttfonts.FF_SYMBOLIC
            entries = pdfdoc.PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": flags,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(fontname),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    # Bytes go into the dictionary as they are: cut out again below.
                    "FontFile2": _PLACEHOLDER,
                    "MissingWidth": face.defaultWidth,
                }
            )
            before, placeholder, after = pdfdoc.format(entries, doc).partition(_PLACEHOLDER)
            assert placeholder and _PLACEHOLDER not in after
            if len(descriptors) >= _SUBSETS_KEPT:
                descriptors.clear()
            found = descriptors[key] = (before, after)
        number = b"%d %d R" % doc.idToObjectNumberAndVersion[fontFileRef.name]
        written = Written(found[0] + number + found[1])
        return doc.Reference(written, "fontDescriptor:" + fontname)

    def add_objects(self: Any, doc: Any) -> None:
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = ttfonts.TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internalName = self.getSubsetInternalName(n, doc)[1:]
            baseFontName = (
                b"".join((ttfonts.SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            ).decode("pdfdoc")

            pdfFont = pdfdoc.PDFTrueTypeFont()
            pdfFont.__Comment__ = "Font %s subset %d" % (self.fontName, n)  # noqa: UP031
            pdfFont.Name = internalName
            pdfFont.BaseFont = baseFontName

            pdfFont.FirstChar = 0
            pdfFont.LastChar = len(subset) - 1

            # ReportLab: pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            pdfFont.Widths = widths_of(self.face, subset, doc)

            cmapStream = pdfdoc.PDFStream()
            cmapStream.content = ttfonts.makeToUnicodeCMap(baseFontName, subset)
            if doc.compression:
                cmapStream.filters = [pdfdoc.PDFZCompress]
            pdfFont.ToUnicode = doc.Reference(cmapStream, "toUnicodeCMap:" + baseFontName)

            # ReportLab: self.face.addSubsetObjects(doc, baseFontName, subset)
            pdfFont.FontDescriptor = descriptor_of(self.face, doc, baseFontName, subset)

            # link it in
            doc.Reference(pdfFont, internalName)
            fontDict = doc.idToObject["BasicFonts"].dict
            fontDict[internalName] = pdfFont
        del self.state[doc]

    add_objects.__wrapped__ = original  # type: ignore[attr-defined]  # for the tests
    ttfonts.TTFont.addObjects = add_objects


#: Floats remembered as written: a release writes a few dozen (boxes, link rectangles,
#: outline positions), most of them the same in every release; ~100 bytes each.
_FLOATS_KEPT = 4_096

#: Text strings remembered as written (link targets and descriptions, document info,
#: outline titles: ~25 per release, most the same in every release of a letterhead), up
#: to this length and this many.
_STRING_LENGTH_KEPT = 512
_STRINGS_KEPT = 1_024

#: ProcSet arrays remembered as written: ReportLab uses two (all procs, or PDF and Text).
_PROCSETS_KEPT = 64

#: Names remembered by their text (PDFName): a document uses a few dozen, all from code
#: (ReportLab's and ours); the bound only guards against the unforeseen.
_NAME_TEXTS_KEPT = 1_024

#: Below 2**53 every integer is exactly a float, so ReportLab's "%.Nf" prints its digits.
_EXACT_INTEGERS = 2**53


def _integers_as_written() -> None:
    """Write the common PDF values, dictionaries and arrays the way ``pdfdoc.format`` does,
    without its chain of type tests and the recursion through each class's ``format``.

    Saving a release formats some 1,500 values; ReportLab sends each through ``format``,
    which tries its cases in turn, then through ``PDFDictionary.format`` (which builds every
    key again with ``PDFName``, a loop over its characters) or ``PDFArray.format``. Here:

    - an ``int`` of magnitude below 2**53 is its decimal digits: ReportLab's ``fp_str``
      prints ``"%.Nf"`` of it, whose zeros after the point it strips;
    - ``bytes`` are returned as they are, as ReportLab does;
    - a ``str`` of printable ASCII (names such as ``/Page``, ``true``) is its ASCII bytes,
      which is what the ``extpdfdoc`` codec gives for those characters (checked here once);
    - a ``PDFObjectReference`` is ``n v R`` of its object's number and version;
    - a ``PDFString`` of text (not bytes, automatic encoding, plain escaping, no
      encryption) is its PDFDocEncoding, or UTF-16BE with a byte-order mark where that
      encoding has no place for a character, escaped byte by byte as ``escapePDF`` does;
    - a ``PDFDictionary`` or ``PDFArray`` (those exact classes, not subclasses, which may
      format differently) is written as their ``format`` writes it: sorted keys unless the
      dictionary is ordered, the same line breaks after every 6 entries or 10 elements, the
      ``pdfMultiLine`` form when that is on; keys as ``PDFName`` makes them, remembered.
      ``PDFDictionary.format`` itself is replaced by the same steps, since ReportLab's
      fonts, forms and trailer call it directly;
    - each indirect object's ``n v obj … endobj`` (``PDFIndirectObject.format`` replaced,
      the same steps) and the cross-reference table of objects 1…n;
    - a finite ``float`` as ``fp_str`` prints it, remembered by its value;
    - an array of integers only, as a font's ``/Widths``, in one sweep;
    - a :class:`~.written.Written` object (ours) is its bytes, which its ``format`` returns;
    - a ``PDFStream`` (``PDFStream.format`` replaced): its filters, ``/Filter`` and
      ``/Length`` as ReportLab adds them, its dictionary written here, and the EOL before
      ``endstream`` that :func:`_eol_before_endstream` adds;
    - the document (``PDFDocument.format`` replaced): each object numbered, written and
      given its offset in one loop, without a ``PDFIndirectObject`` per object;
    - ``PDFName`` remembered by its text (it loops over the characters at every call: some
      60 times per release, for the same few dozen names).

    Everything else (other objects, other text, booleans) and any object marked
    ``__RefOnly__`` below the top level, or with ``rl_config.pdfComments`` on, goes to
    ReportLab's own function, as do streams and documents with encryption or comments.
    Elements inside a dictionary or array come back here directly, not through the
    module's ``format`` name.
    """
    import codecs
    import math
    from collections import OrderedDict

    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    from .written import _NAMES, Written, array, dictionary_of, name

    original = pdfdoc.format
    # Names as written.name keeps them (it clears this same dict when full).
    names_written = _NAMES.get
    floats: dict[float, bytes] = {}
    strings: dict[str, bytes] = {}
    # What pdfdoc.format writes a float with (ReportLab's C fp_str where rl_accel is in).
    fp_str, encode_pdfdoc = pdfdoc.fp_str, pdfdoc.pdfdocEnc
    printable = "".join(map(chr, range(0x20, 0x7F)))
    # The ASCII shortcut holds only while extpdfdoc maps printable ASCII to itself.
    ascii_is_pdfdoc = printable.encode("extpdfdoc") == printable.encode("ascii")
    # escapePDF maps each byte on its own (an octal escape, a backslash, or itself): the
    # same map as a str.translate table, built from whichever escapePDF ReportLab uses.
    escapes = {code: pdfdoc.escapePDF(bytes([code])) for code in range(256)}
    escape_table = {code: text for code, text in escapes.items() if text != chr(code)}
    string_class = pdfdoc.PDFString
    no_encryption = pdfdoc.NoEncryption
    xref_class = pdfdoc.PDFCrossReferenceSubsection
    written_class = Written
    dictionary_class = pdfdoc.PDFDictionary
    array_classes = (pdfdoc.PDFArray, pdfdoc.PDFArrayCompact)
    reference_class = pdfdoc.PDFObjectReference

    def format(element: Any, document: Any, toplevel: int = 0) -> bytes:
        kind = type(element)
        if kind is int and -_EXACT_INTEGERS < element < _EXACT_INTEGERS:
            return str(element).encode("ascii")
        if kind is bytes:
            return element
        if kind is str and ascii_is_pdfdoc and element.isascii() and element.isprintable():
            return element.encode("ascii")
        if kind is float and math.isfinite(element):
            # ReportLab's own step (fp_str, then its encoding), remembered: equal floats
            # print alike (0.0 and -0.0 both as "0"). NaN and infinities go to ReportLab.
            found = floats.get(element)
            if found is None:
                if len(floats) >= _FLOATS_KEPT:
                    floats.clear()
                found = floats[element] = encode_pdfdoc(fp_str(element))
            return found
        if rl_config.pdfComments:
            result: bytes = original(element, document, toplevel)
            return result
        if kind is written_class:
            # Our own objects (the structure tree, the PDF/A parts): their bytes are ready.
            data: bytes = element.data
            return data
        if kind is reference_class:
            numbers = document.idToObjectNumberAndVersion.get(element.name)
            if numbers is not None:
                return b"%d %d R" % numbers
        elif kind is dictionary_class and (toplevel or not hasattr(element, "__RefOnly__")):
            return dictionary_format(element, document)
        elif (
            kind is string_class
            and ascii_is_pdfdoc
            and type(element.s) is str
            and getattr(element, "enc", "auto") == "auto"
            and getattr(element, "escape", 1) == 1
            and type(document.encrypt) is no_encryption
            and (toplevel or not hasattr(element, "__RefOnly__"))
        ):
            text = element.s
            found = strings.get(text)
            if found is not None:
                return found
            try:
                encoded = text.encode("pdfdoc")
            except UnicodeEncodeError:
                encoded = codecs.BOM_UTF16_BE + text.encode("utf_16_be")
            # Every byte outside printable ASCII is escaped: the text is ASCII.
            found = b"(" + encoded.decode("latin-1").translate(escape_table).encode("ascii") + b")"
            # Remembered by the text alone: the rest that decides the bytes is tested above.
            # (ReportLab's pdfdoc codec is Python, a loop per character: ~2-5 us a string.)
            if len(text) <= _STRING_LENGTH_KEPT:
                if len(strings) >= _STRINGS_KEPT:
                    strings.clear()
                strings[text] = found
            return found
        elif kind is xref_class and element.firstentrynumber == 0:
            table = cross_reference(element.idsequence, document)
            if table is not None:
                return table
        elif kind in array_classes and (toplevel or not hasattr(element, "__RefOnly__")):
            sequence = element.sequence
            if (
                len(sequence) > 10
                and set(map(type, sequence)) == {int}
                and min(sequence) > -_EXACT_INTEGERS
                and max(sequence) < _EXACT_INTEGERS
            ):
                # All integers, as a font's /Widths (hundreds of them): in one sweep.
                parts = list(map(b"%d".__mod__, sequence))
            else:
                # Integers and remembered floats (most elements: boxes, matrices, borders)
                # written here, the rest by format; a loop, not a comprehension, so that
                # format keeps no cell for ``document``, allocated at each call.
                parts = []
                for item in sequence:
                    item_kind = type(item)
                    if item_kind is int and -_EXACT_INTEGERS < item < _EXACT_INTEGERS:
                        parts.append(b"%d" % item)
                    elif item_kind is float and item in floats:
                        parts.append(floats[item])
                    else:
                        parts.append(format(item, document))
            return array(parts, multiline=element.multiline)
        result = original(element, document, toplevel)
        return result

    def cross_reference(ids: list[str], document: Any) -> bytes | None:
        # The cross-reference table: ReportLab's loop, for the one section it writes
        # (objects 1…n in order; None for anything else, which ReportLab checks).
        numbers = document.idToObjectNumberAndVersion
        offsets = document.idToOffset
        entries = [numbers[oid] for oid in ids]
        if not all(number == index for index, (number, _) in enumerate(entries, start=1)):
            return None
        lines = [b"0 %d" % (len(ids) + 1), b"0000000000 65535 f "]
        lines += [
            b"%0.10d %0.5d n " % (offsets[oid], version)  # ReportLab's format, as bytes
            for oid, (_, version) in zip(ids, entries, strict=True)
        ]
        lines.append(b"")
        return b"\n".join(lines)

    def dictionary_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:
        # PDFDictionary.format's own steps, its keys remembered and its values written here.
        entries = self.dict
        keys = list(entries)
        if not isinstance(entries, OrderedDict):
            keys.sort()
        parts = []
        comments = rl_config.pdfComments
        # A loop, not a comprehension (no cells to allocate per call); integers, names,
        # references and remembered keys written here, as format writes them.
        for key in keys:
            item = entries[key]
            kind = type(item)
            if kind is int and -_EXACT_INTEGERS < item < _EXACT_INTEGERS:
                text = b"%d" % item
            elif kind is str and ascii_is_pdfdoc and item.isascii() and item.isprintable():
                text = item.encode("ascii")
            elif kind is reference_class and not comments:
                numbers = document.idToObjectNumberAndVersion.get(item.name)
                text = b"%d %d R" % numbers if numbers is not None else format(item, document)
            else:
                text = format(item, document)
            written_key = names_written(key)
            if written_key is None:
                written_key = name(key)
            parts.append(written_key + b" " + text)
        return dictionary_of(parts, multiline=self.multiline, indent=IND)

    def indirect_format(self: Any, document: Any) -> bytes:
        # PDFIndirectObject.format's steps: "n v obj", the object, an EOL, "endobj".
        number, version = document.idToObjectNumberAndVersion[self.name]
        document.encrypt.register(number, version)
        content = format(self.content, document, toplevel=1)
        end = b"endobj\n" if content.endswith(b"\n") else b"\nendobj\n"
        return b"%d %d obj\n" % (number, version) + content + end

    def stream_format(self: Any, document: Any) -> bytes:
        # PDFStream.format's steps (filters in reverse order, /Filter and /Length in a copy
        # of its dictionary), then the EOL before endstream (_eol_before_endstream).
        dictionary = self.dictionary
        if (
            type(dictionary) is not dictionary_class
            or type(document.encrypt) is not no_encryption
            or rl_config.pdfComments
        ):
            return stream_original(self, document)
        content = self.content
        if content is None:
            raise ValueError("stream content not set")
        entries = dictionary.dict.copy()
        filters = self.filters
        if filters is None:
            filters = document.defaultStreamFilters
        if filters is not None and "Filter" not in entries:
            filter_names: list[bytes] = []
            for stream_filter in reversed(list(filters)):
                content = stream_filter.encode(content)
                filter_names.insert(0, name(stream_filter.pdfname))
            entries["Filter"] = array(filter_names)
        data = content if type(content) is bytes else format(content, document)
        entries["Length"] = b"%d" % len(content)
        keys = list(entries)
        if not isinstance(entries, OrderedDict):
            keys.sort()
        parts = []
        for key in keys:
            value = entries[key]
            # /Filter and /Length are written already.
            written = value if type(value) is bytes else format(value, document)
            parts.append(name(key) + b" " + written)
        # A fresh PDFDictionary in ReportLab's steps: the class's multiline, not the stream's.
        head = dictionary_of(parts, multiline=dictionary_class.multiline)
        # One join: the data (a font file: 10-20 KB) copied once, not at each "+".
        return b"".join((head, b"\nstream\n", data, b"\nendstream\n"))

    def document_format(self: Any) -> bytes:
        # PDFDocument.format with its loop over the objects written directly: no
        # PDFIndirectObject per object, our Written objects' bytes as they are, each
        # object's offset kept as PDFFile.add keeps it. Encryption and comments: ReportLab.
        if (
            type(self.encrypt) is not no_encryption
            or rl_config.pdfComments
            or getattr(self, "_digiSigs", None)  # (signing reads the file's pieces)
        ):
            result: bytes = document_original(self)
            return result
        self.encrypt.prepare(self)
        catalog = self.Catalog
        info = self.info
        self.Reference(catalog)
        self.Reference(info)  # (no encryption: no dictionary of its own to register)
        number_to_id = self.numberToId
        numbers = self.idToObjectNumberAndVersion
        objects = self.idToObject
        offsets = self.idToOffset
        ids: list[str] = []
        self.__accum__ = file = pdfdoc.PDFFile(self._pdfVersion)
        strings = file.strings
        counter = 1
        # Objects may be registered while others are written (a catalog's references).
        while counter in number_to_id:
            oid = number_to_id[counter]
            element = objects[oid]
            number, version = numbers[oid]
            kind = type(element)
            if kind is written_class:
                content = element.data
            elif kind is dictionary_class:
                content = dictionary_format(element, self)
            elif kind not in formatted_here and isinstance(element, pdf_object):
                # What format gives a ReportLab object at the top level with comments
                # off (a page, a font, a stream …): its own format, without two calls.
                content = element.format(self)
            else:
                content = format(element, self, toplevel=1)
            end = b"endobj\n" if content.endswith(b"\n") else b"\nendobj\n"
            head = b"%d %d obj\n" % (number, version)
            offsets[oid] = file.offset
            file.offset += len(head) + len(content) + len(end)
            # Three pieces, joined once with the whole file (PDFFile.format): the content
            # is not copied again here.
            strings += (head, content, end)
            ids.append(oid)
            counter += 1
        del self.__accum__
        count = len(number_to_id)
        if counter - 1 != count:
            raise ValueError(f"counter {counter} doesn't match number to id dictionary {count}")
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        xref_offset = file.add(xref.format(self))
        trailer = pdfdoc.PDFTrailer(
            startxref=xref_offset,
            Size=count + 1,
            Root=self.Reference(catalog),
            Info=self.Reference(info),
            Encrypt=None,
            ID=self.ID(),
        )
        file.add(trailer.format(self))
        return b"".join(strings)

    def resources_format(self: Any, document: Any) -> bytes:
        # PDFResourceDictionary.format's steps: each attribute a dictionary if it is a
        # non-empty dict, as it is otherwise; ProcSet an array if a non-empty sequence
        # (the same one or two lists in every page and form: remembered); then the whole
        # as a dictionary. The values are written here, not built as objects first.
        if rl_config.pdfComments:
            return resources_original(self, document)
        entries: dict[str, bytes] = {}
        for key in self.dict_attributes:
            value = getattr(self, key)
            if isinstance(value, dict):
                if value:
                    entries[key] = dictionary_format(dictionary_class(value), document)
            else:
                entries[key] = format(value, document)
        procs = self.ProcSet
        if pdfdoc.isSeq(procs):
            if procs and all(type(proc) is str for proc in procs):
                key = (*procs, rl_config.pdfMultiLine)
                found = procsets.get(key)
                if found is None:
                    found = format(pdfdoc.PDFArray(procs), document)
                    if len(procsets) < _PROCSETS_KEPT:
                        procsets[key] = found
                entries["ProcSet"] = found
            elif procs:
                entries["ProcSet"] = format(pdfdoc.PDFArray(procs), document)
        else:
            entries["ProcSet"] = format(procs, document)
        parts = [name(key) + b" " + entries[key] for key in sorted(entries)]
        return dictionary_of(parts, multiline=dictionary_class.multiline)

    def font_format(self: Any, document: Any) -> bytes:
        # PDFType1Font.format's steps (PDFTrueTypeFont's too): its name attributes as
        # names, its other attributes as they are, present ones only, as one dictionary.
        if rl_config.pdfComments:
            return font_original(self, document)
        entries: dict[str, bytes] = {}
        for key in self.name_attributes:
            if hasattr(self, key):
                value = getattr(self, key)
                if type(value) is not str:
                    return font_original(self, document)
                # PDFName escapes all but printable ASCII, which format writes as it is.
                entries[key] = name(value)
        for key in self.local_attributes:
            if hasattr(self, key):
                entries[key] = format(getattr(self, key), document)
        parts = [name(key) + b" " + entries[key] for key in sorted(entries)]
        return dictionary_of(parts, multiline=dictionary_class.multiline)

    def pdf_name(data: Any, lo: str = "!", hi: str = "~") -> str:
        # PDFName remembered by its text (ReportLab's bounds, "!" and "~", by default): the
        # same text is always the same name, and PDFName loops over its characters.
        if lo != "!" or hi != "~" or type(data) is not str:
            made: str = make_name(data, lo, hi)
            return made
        found = name_texts.get(data)
        if found is None:
            if len(name_texts) >= _NAME_TEXTS_KEPT:
                name_texts.clear()
            found = name_texts[data] = make_name(data)
        return found

    make_name = pdfdoc.PDFName
    name_texts: dict[str, str] = {}
    pdf_object = pdfdoc.PDFObject
    procsets: dict[tuple[Any, ...], bytes] = {}
    resources_original = pdfdoc.PDFResourceDictionary.format
    font_original = pdfdoc.PDFType1Font.format
    # The classes format writes itself rather than through their own format.
    formatted_here = {written_class, reference_class, string_class, xref_class, *array_classes}
    stream_original = pdfdoc.PDFStream.format
    document_original = pdfdoc.PDFDocument.format

    format.__wrapped__ = original  # type: ignore[attr-defined]  # for the tests
    dictionary_format.__wrapped__ = dictionary_class.format  # type: ignore[attr-defined]
    indirect_format.__wrapped__ = pdfdoc.PDFIndirectObject.format  # type: ignore[attr-defined]
    stream_format.__wrapped__ = stream_original  # type: ignore[attr-defined]
    document_format.__wrapped__ = document_original  # type: ignore[attr-defined]
    pdf_name.__wrapped__ = make_name  # type: ignore[attr-defined]
    resources_format.__wrapped__ = resources_original  # type: ignore[attr-defined]
    font_format.__wrapped__ = font_original  # type: ignore[attr-defined]
    pdfdoc.format = format
    # ReportLab's objects also call it directly (fonts, forms, the trailer), and its
    # document writes each object with PDFIndirectObject.format.
    dictionary_class.format = dictionary_format
    pdfdoc.PDFIndirectObject.format = indirect_format
    pdfdoc.PDFStream.format = stream_format
    pdfdoc.PDFDocument.format = document_format
    pdfdoc.PDFName = pdf_name
    pdfdoc.PDFResourceDictionary.format = resources_format
    pdfdoc.PDFType1Font.format = font_format


#: How many widths a process keeps before it starts again (~100 bytes each; one release
#: measures a few thousand texts, and `watch` must stay within its memory bound).
_WIDTHS_KEPT = 20_000


def _remember_widths() -> None:
    """Remember ``TTFont.stringWidth`` by font, text and size.

    The width is ``0.001 * size * sum of the characters' advances`` from the face's
    ``charWidths``, which no one changes once the face is read (fonts.register_face), so a
    remembered width is the float ReportLab would compute again. Keyed by the font object
    itself, as the subsets are; the shaping data of a kerned string (a str subclass) plays
    no part in ReportLab's width, so its plain text is the key.
    """
    from reportlab.pdfbase import ttfonts

    measure = ttfonts.TTFont.stringWidth
    widths: dict[tuple[Any, str, float, str], float] = {}

    def string_width(self: Any, text: Any, size: float, encoding: str = "utf8") -> float:
        if not isinstance(text, str):
            result: float = measure(self, text, size, encoding)
            return result
        key = (self, str(text), size, encoding)
        found = widths.get(key)
        if found is None:
            if len(widths) >= _WIDTHS_KEPT:
                widths.clear()
            found = widths[key] = measure(self, text, size, encoding)
        return found

    ttfonts.TTFont.stringWidth = string_width
