"""Drawing a paragraph's lines: ReportLab's ``drawPara`` for the paragraphs we set, leaner.

ReportLab's ``Paragraph.drawPara`` draws each ``FragLine`` through ``_leftDrawParaLineX`` /
``_justifyDrawParaLineX`` and ``_putFragLine``, which handle every kind of paragraph it knows
(right-to-left, inline images and callbacks, automatic leading, dot leaders) and write each
frag's text with ``_textOut``. For the paragraphs medieninfo sets (left or justified,
left-to-right, fixed leading, text only) :func:`draw_paragraph` does the same steps, in the
same order, with the same operators in the same ``_code`` items (the tagging's link hook,
``TaggedParagraph.beginText``, reads those), but:

- text is written by :func:`.showtext.show` (codes, kerning and escapes in C loops);
- a frag's colour operator is remembered per colour: ReportLab parses a colour name
  (``"#1a1a1a"``) again at every change of colour, once per paragraph and link;
- a line without links, underlines or background colours (most lines) neither measures its
  frags nor takes ReportLab's after-line pass: where its frags end matters to nothing drawn.

A line with an image or a callback in it is drawn by ReportLab's own line code. Other
paragraphs (centred, right-to-left, automatic leading, dot leaders, ``debug``) make
:func:`draw_paragraph` return False before it draws anything, and the caller draws them with
``drawPara``. The bytes are those ReportLab writes (tests/pdf/test_lines.py renders both
ways and compares).
"""

from __future__ import annotations

from types import MethodType
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.lib.colors import CMYKColor, Color, toColor
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.geomutils import normalizeTRBL
from reportlab.pdfbase.pdfdoc import PDF_SUPPORT_VERSION
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus.paragraph import (
    _do_line,
    _do_post_text,
    _drawBullet,
    _justifyDrawParaLineX,
    _leftDrawParaLineX,
    _setTXLineProps,
    _trailingSpaceLength,
    _wsc,
)
from reportlab.rl_config import paraFontSizeHeightOffset

from .showtext import codes_for, number, show

__all__ = ["draw_paragraph", "fill"]

#: Colours whose operators are remembered (a release uses two or three).
_COLOURS_KEPT = 256
_fills: dict[tuple[type, Any], tuple[str, Any, Any]] = {}


def fill(tx: Any, value: Any) -> None:
    """``tx.setFillColor(value)`` for an RGB colour or its name, its operator remembered:
    for a text object or a canvas (the letterhead's lines), which both keep their code in
    ``_code``. A target that enforces a colour space gets ReportLab's own call."""
    if getattr(tx, "_enforceColorSpace", None):
        tx.setFillColor(value)
        return
    try:
        key = (type(value), value)
        found = _fills.get(key)
    except TypeError:  # an unhashable colour
        found = key = None
    if found is None:
        colour = toColor(value) if isinstance(value, str) else value
        if key is None or isinstance(colour, CMYKColor) or not isinstance(colour, Color):
            tx.setFillColor(value)
            return
        if len(_fills) >= _COLOURS_KEPT:
            _fills.clear()
        rgb = " ".join(number(part) for part in (colour.red, colour.green, colour.blue))
        found = _fills[key] = (f"{rgb} rg", colour, getattr(colour, "alpha", None))
    operator, colour, alpha = found
    tx._fillColorObj = colour
    tx._code.append(operator)
    if alpha is not None and not _alpha_is(tx, alpha):
        tx.setFillAlpha(alpha)


#: The PDF version ReportLab's ``setFillAlpha`` makes a document at least.
_TRANSPARENCY = PDF_SUPPORT_VERSION["transparency"]


def _alpha_is(tx: Any, alpha: Any) -> bool:
    """Whether ``tx.setFillAlpha(alpha)`` would change nothing: the graphics state has that
    fill alpha already (``ExtGState.set`` then writes nothing) and the document is of a
    PDF version with transparency (which ``ensureMinPdfVersion`` would make it). A colour
    carries alpha 1, which a page has from the start."""
    canvas = getattr(tx, "_canvas", tx)  # a text object's canvas, or the canvas itself
    state = getattr(canvas, "_extgstate", None)
    if state is None:
        return False
    return alpha == state.getValue("ca") and canvas._doc._pdfVersion >= _TRANSPARENCY


def _drawable(paragraph: Any) -> bool:
    """Whether :func:`draw_paragraph` draws ``paragraph`` as ReportLab would (a line with an
    image or a callback in it goes to ReportLab's own line code, see :func:`_draw_line`)."""
    style = paragraph.style
    return not (
        paragraph.blPara.kind != 1
        or style.alignment not in (TA_LEFT, TA_JUSTIFY)
        or style.wordWrap
        or style.endDots
        or getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
        or "preformatted" in type(paragraph).__name__.lower()
        or getattr(paragraph.canv, "_enforceColorSpace", None) is not None
    )


def draw_paragraph(paragraph: Any) -> bool:
    """Draw ``paragraph`` (wrapped, on its canvas) as ``Paragraph.drawPara`` does; False,
    having drawn nothing, if it is not a paragraph this module draws."""
    if not _drawable(paragraph):
        return False
    canvas = paragraph.canv
    style = paragraph.style
    lines = paragraph.blPara.lines
    left_indent = style.leftIndent
    border_width = getattr(style, "borderWidth", None)
    border_colour = getattr(style, "borderColor", None)
    background = style.backColor
    if background or (border_colour and border_width):
        _draw_box(paragraph, border_width, border_colour, background)
    count = len(lines)
    if count == 0:
        return True
    offsets = getattr(paragraph, "_offsets", [0])
    offsets += (count - len(offsets)) * [offsets[-1]]  # as ReportLab does, in place
    canvas.saveState()
    justify = style.alignment == TA_JUSTIFY
    offset = style.firstLineIndent + offsets[0]
    no_justify_last = not getattr(paragraph, "_JustifyLast", False)
    justify_last_count = style.justifyLastLine
    first = lines[0]
    if paraFontSizeHeightOffset:
        cur_y = paragraph.height - first.fontSize
    else:
        cur_y = paragraph.height - getattr(first, "ascent", first.fontSize)
    if paragraph.bulletText:
        offset = _drawBullet(canvas, offset, cur_y, paragraph.bulletText, style, rtl=False)
    tx = paragraph.beginText(left_indent, cur_y)
    tx.preformatted = False
    _setTXLineProps(tx, canvas, style)
    tx._do_line = MethodType(_do_line, tx)
    tx.direction = style.wordWrap
    xs = tx.XtraState = ABag()
    xs.textColor = None
    xs.backColor = None
    xs.rise = 0
    xs.backColors = []
    xs.us_lines = {}
    xs.links = {}
    xs.link = {}
    xs.leading = style.leading
    xs.leftIndent = left_indent
    tx._leading = None
    tx._olb = None
    xs.cur_y = cur_y
    xs.f = first
    xs.style = style
    xs.autoLeading = getattr(paragraph, "autoLeading", getattr(style, "autoLeading", ""))
    xs.paraWidth = paragraph.width
    tx._fontname, tx._fontsize = None, None
    last_index = count - 1
    for index, line in enumerate(lines):
        last = no_justify_last and index == last_index
        if last and justify_last_count and line.wordCount > justify_last_count:
            last = False
        _draw_line(tx, offset if index == 0 else offsets[index], line, last, justify)
        if xs.links or xs.us_lines or xs.backColors:
            _do_post_text(tx)
        else:
            xs.cur_y -= style.leading  # all that _do_post_text does for such a line
    canvas.drawText(tx)
    canvas.restoreState()
    return True


def _draw_box(paragraph: Any, border_width: Any, border_colour: Any, background: Any) -> None:
    """The paragraph's background and border (the embargo box), as ``drawPara`` draws it."""
    canvas = paragraph.canv
    style = paragraph.style
    left_indent = style.leftIndent
    canvas.saveState()
    draw = canvas.rect
    options: dict[str, Any] = {"fill": 0, "stroke": 0}
    if border_colour and border_width:
        canvas.setStrokeColor(border_colour)
        canvas.setLineWidth(border_width)
        options["stroke"] = 1
        radius = getattr(style, "borderRadius", 0)
        if radius:
            draw = canvas.roundRect
            options["radius"] = radius
    if background:
        canvas.setFillColor(background)
        options["fill"] = 1
    top, right, bottom, left = normalizeTRBL(getattr(style, "borderPadding", 0))
    draw(
        left_indent - left,
        -bottom,
        paragraph.width - (left_indent + style.rightIndent) + left + right,
        paragraph.height + top + bottom,
        **options,
    )
    canvas.restoreState()


def _move(tx: Any, dx: float) -> None:
    """ReportLab's ``setXPos``: a move only if it is one."""
    if dx > 1e-6 or dx < -1e-6:
        tx.setXPos(dx)


def _draw_line(tx: Any, offset: float, line: Any, last: bool, justify: bool) -> None:
    """``_leftDrawParaLineX`` / ``_justifyDrawParaLineX``: word spacing for the line's
    extra space where ReportLab sets it (a justified line, a line too long)."""
    plain = True
    for frag in line.words:
        if hasattr(frag, "cbDefn"):
            # An image, an anchor or a callback: ReportLab's own code for the whole line,
            # which reads and leaves the text object's state as this module does.
            (_justifyDrawParaLineX if justify else _leftDrawParaLineX)(tx, offset, line, last)
            return
        if frag.link or frag.us_lines or getattr(frag, "backColor", None):
            plain = False
    put = _put_plain_line if plain and not tx.XtraState.backColor else _put_line
    tx._x_offset = offset
    _move(tx, offset)
    extra = line.extraSpace
    if justify:
        simple = line.lineBreak or (-1e-8 < extra <= 1e-8) or (last and extra > -1e-8)
    else:
        simple = extra > -1e-8 or getattr(line, "preformatted", False)
    if not simple:
        spaces = line.wordCount + sum(w.text.count("\xa0") for w in line.words) - 1
        simple = spaces <= 0
    if simple:
        put(offset, tx, line)
    else:
        tx.setWordSpace(extra / float(spaces))
        put(offset, tx, line)
        tx.setWordSpace(0)
    _move(tx, -offset)


#: What ReportLab takes for the white space at the end of a frag (``_wsc_end_search``).
_WHITE = frozenset(_wsc)


def _shown(tx: Any, font: Any, codes: Any, text: str) -> str:
    """``tx._formatText(text)``: by :func:`.showtext.show` where it can."""
    if (
        text == " "
        and type(text) is str
        and tx._curSubset == 0
        and codes is not None
        and codes.table.get(32) == 32
    ):
        return "( ) Tj"  # a line's closing space (layout.mark_line_ends): code 32 of subset 0
    shown = show(tx, codes, text) if codes is not None else None
    return tx._formatText(text) if shown is None else shown


def _font(tx: Any) -> tuple[Any, Any]:
    """The text object's font and, for a TrueType font, its code table (kept with the text
    object: a paragraph asks at every line and every change of font)."""
    name = tx._fontname
    found = getattr(tx, "_medieninfo_font", None)
    if found is None or found[0] != name:
        font = getFont(name)
        found = tx._medieninfo_font = (
            name,
            font,
            codes_for(font, tx._canvas._doc) if font._dynamicFont else None,
        )
    return found[1], found[2]


def _set_leading(tx: Any, leading: float) -> None:
    """``tx.setLeading(leading)``, the number remembered."""
    tx._leading = leading
    tx._code.append(f"{number(leading)} TL")


def _put_plain_line(cur_x: float, tx: Any, line: Any) -> None:
    """``_putFragLine`` for a line without links, underlines or background colours: only
    fonts, colours, rises and text; where each frag ends matters to none of them."""
    xs = tx.XtraState
    x0 = tx._x0
    leading = xs.leading
    if tx._leading != leading:
        _set_leading(tx, leading)
    words = line.words
    code = tx._code
    final = words[-1]
    font = codes = None
    if tx._fontname is not None:
        font, codes = _font(tx)
    for frag in words:
        size = frag.fontSize
        if tx._fontname != frag.fontName or tx._fontsize != size:
            tx._setFont(frag.fontName, size)
            font, codes = _font(tx)
        colour = frag.textColor
        if xs.textColor is not colour and xs.textColor != colour:
            xs.textColor = colour
            fill(tx, colour)
        rise = frag.rise
        if xs.rise != rise:
            xs.rise = rise
            tx.setRise(rise)
        text = frag.text
        shown = _shown(tx, font, codes, text) if isinstance(text, str) else tx._formatText(text)
        code.append(f"{shown} T*" if frag is final else shown)
    if tx._x0 != x0:
        _move(tx, x0 - tx._x0)


def _put_line(cur_x: float, tx: Any, line: Any) -> None:
    """``_putFragLine`` for a line of text frags (no images, no automatic leading)."""
    record = getattr(tx, "_linkRecord", None)
    xs = tx.XtraState
    x0 = tx._x0
    leading = xs.leading
    cur_x += xs.leftIndent
    if tx._leading != leading:
        _set_leading(tx, leading)
    word_space = getattr(tx, "_wordSpace", 0)
    spaces = 0
    words = line.words
    links_now: list[Any] = []
    lines_now: list[Any] = []
    us_lines = xs.us_lines
    links = xs.links
    code = tx._code
    width_of = tx._canvas.stringWidth
    final = words[-1]
    font = codes = None
    if tx._fontname is not None:
        font, codes = _font(tx)
    for index, frag in enumerate(words):
        cur_x_s = cur_x + spaces * word_space
        end_x = cur_x_s
        size = frag.fontSize
        colour = frag.textColor
        rise = frag.rise
        if index > 0:
            before = words[index - 1].text
            if before and before[-1] in _WHITE:
                end_x = cur_x_s - _trailingSpaceLength(before, tx)
        if tx._fontname != frag.fontName or tx._fontsize != size:
            tx._setFont(frag.fontName, size)
            font, codes = _font(tx)
        if xs.textColor is not colour and xs.textColor != colour:
            xs.textColor = colour
            fill(tx, colour)
        if xs.rise != rise:
            xs.rise = rise
            tx.setRise(rise)
        frag_lines = frag.us_lines
        if lines_now != frag_lines:
            new_lines = set(frag_lines) - set(lines_now)
            for key in set(lines_now) - set(frag_lines):
                us_lines[key] = us_lines[key], end_x
        frag_links = frag.link
        if links_now != frag_links:
            new_links = set(frag_links) - set(links_now)
            for key in set(links_now) - set(frag_links):
                links[key] = links[key], end_x
                if record is not None:
                    record(key, "end")
        text = frag.text
        shown = _shown(tx, font, codes, text) if isinstance(text, str) else tx._formatText(text)
        code.append(f"{shown} T*" if frag is final else shown)
        if lines_now != frag_lines:
            for key in new_lines:
                us_lines[key] = (key, size, colour, cur_x_s), size
            lines_now = frag_lines
        for key in lines_now:
            start, biggest = us_lines[key]
            if size > biggest:
                us_lines[key] = start, size
        low = rise - 0.2 * size
        high = rise + size
        if links_now != frag_links:
            for key in new_links:
                links[key] = (key, cur_x), low, high
                if record is not None:
                    record(key, "start")
            links_now = frag_links
        for key in links_now:
            start, lowest, highest = links[key]
            if low < lowest or high > highest:
                links[key] = start, min(low, lowest), max(high, highest)
        background = getattr(frag, "backColor", None)
        if background and not xs.backColor:
            xs.backColor = background
            xs.backColor_x = cur_x_s
        elif xs.backColor:
            if not background:
                xs.backColors.append((xs.backColor_x, end_x, xs.backColor))
                xs.backColor = None
            elif frag.backColor != xs.backColor or xs.textColor != xs.backColor:
                xs.backColors.append((xs.backColor_x, end_x, xs.backColor))
                xs.backColor = background
                xs.backColor_x = cur_x_s
        cur_x += width_of(text, tx._fontname, tx._fontsize)
        spaces += text.count(" ") + text.count("\xa0")
    cur_x_s = cur_x + (spaces - 1) * word_space
    for key in lines_now:
        us_lines[key] = us_lines[key], cur_x_s
    for key in links_now:
        links[key] = links[key], cur_x_s
        if record is not None:
            record(key, "end")
    if xs.backColor:
        xs.backColors.append((xs.backColor_x, cur_x_s, xs.backColor))
    if tx._x0 != x0:
        _move(tx, x0 - tx._x0)
