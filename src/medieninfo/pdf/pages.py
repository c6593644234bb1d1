"""Draw stage: the letterhead on every page, page numbers, and the document template.

The sidebar is drawn at the start of each page, before the text, so that text extraction
(and later the reading order) finds the letterhead first, as on the reference document.
``Seite n von N`` needs N before the last page is known: each page shows a form XObject that
is filled in once the document is complete, which keeps layout to a single pass.

Tagging (PDF/UA-1): the sidebar and the page numbers repeat on every page, so they are
pagination artifacts; only on page 1 is the sender information tagged, as an ``Aside`` that
comes first in the structure, as it comes first on the page, with the logo as a ``Figure``
carrying the letterhead's alternative text. The sidebar's links stay clickable on every
page, and PDF/UA-1 (7.18.1) wants every link annotation in a ``Link`` element with its text
on the same page: on later pages the link lines alone are tagged, each page's in an
``Aside`` of its own, placed in the structure before the element that page's text
begins with. The canvas owns the :class:`~.tagging.Recorder`, hooks ReportLab's link
annotations to their ``Link`` elements, and at the end writes the structure tree and the
PDF/A parts (:mod:`.pdfa`).
"""

from __future__ import annotations

import datetime as dt
from hashlib import md5
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import PDFString
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .. import CREATOR
from ..errors import MedieninfoError
from ..model.labels import Labels, labels_for
from ..model.letterhead import Letterhead
from . import pdfa
from .fonts import FontNames
from .lines import fill
from .logo import draw_logo
from .showtext import codes_for, show
from .tagging import ARTIFACT_FOOTER, ARTIFACT_HEADER, END, Node, Recorder

PAGE_WIDTH, PAGE_HEIGHT = A4
_FOOTER_Y = 14 * mm


def _page_form(number: int) -> str:
    return f"pagenumber{number}"


class LetterheadCanvas(Canvas):
    """A canvas that fills in the page-number forms and dates the PDF deterministically."""

    footer_font: str = "Helvetica"
    footer_x: float = 0.0
    footer_colour: str = "#000000"
    date: dt.date = dt.date(2000, 1, 1)
    structure: Node | None = None
    lang: str = "de-DE"
    labels: Labels = labels_for("de-DE")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # PDF/UA-1 builds on ISO 32000-1 (PDF 1.7); /Tabs and the structure need >= 1.5.
        kwargs.setdefault("pdfVersion", (1, 7))
        super().__init__(*args, **kwargs)
        self.tagging = Recorder(self.structure) if self.structure is not None else None
        # Heading bookmarks: the last outline level and a counter for their keys.
        self.outline_level = -1
        self.outline_count = 0
        # Same input, same bytes: the PDF's dates and ID derive from the release date and the
        # content, never from the clock, the time zone or SOURCE_DATE_EPOCH.
        stamp = TimeStamp(invariant=1)
        moment = dt.datetime.combine(self.date, dt.time(), dt.UTC)
        stamp.t = moment.timestamp()
        stamp.lt = moment.timetuple()
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0
        stamp.tzname = "UTC"
        document = self._doc
        document._timeStamp = stamp
        document.signature = md5(b"medieninfo", usedforsecurity=False)
        document.signature.update(self.date.isoformat().encode())

    def save(self) -> None:
        total = self.getPageNumber() - 1
        for number in range(1, total + 1):
            self.beginForm(_page_form(number), 0, 0, PAGE_WIDTH, 20 * mm)
            if total > 1:
                self.setFont(self.footer_font, 8)
                self.setFillColor(HexColor(self.footer_colour))
                self.drawString(self.footer_x, _FOOTER_Y, self.labels.page(number, total))
            self.endForm()
        if self.tagging is not None:
            self.tagging.write(self._doc)
        pdfa.apply(self._doc, self.lang)
        super().save()

    def mark(self, node: Node) -> str:
        """The BDC operator that makes what is drawn next on this page part of ``node``."""
        assert self.tagging is not None
        return self.tagging.begin(self.getPageNumber() - 1, node)

    def linkURL(
        self,
        url: str,
        rect: Any,
        relative: int = 0,
        thickness: int = 0,
        color: Any = None,
        dashArray: Any = None,
        kind: str = "URI",
        **kw: Any,
    ) -> None:
        # PDF/A-2 6.3.2: annotations carry the Print flag; PDF/UA-1 7.18.5: a description.
        kw.setdefault("F", 4)
        kw.setdefault("Contents", PDFString(url.removeprefix("mailto:")))
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        if self.tagging is None:
            return
        # ReportLab names the annotation it just added NUMBER<count> (Canvas._addAnnotation).
        name = f"NUMBER{self._annotationCount}"
        annotation = self._doc.idToObject[f"Annot.{name}"]
        node = self.tagging.link_for(url)
        if node is None:
            # A link drawn without a Link element (should not happen): still tag it.
            node = self.tagging.root.add("Link", url=url)
        self.tagging.annotate(node, self.getPageNumber() - 1, name, annotation)


def canvas_class(
    letterhead: Letterhead,
    names: FontNames,
    date: dt.date,
    structure: Node | None = None,
    lang: str = "de-DE",
) -> type[Canvas]:
    return type(
        "ReleaseCanvas",
        (LetterheadCanvas,),
        {
            "footer_font": names.regular,
            "footer_x": letterhead.geometry.margin_left * mm,
            "footer_colour": letterhead.text_colour,
            "date": date,
            "structure": structure,
            "lang": lang,
            "labels": labels_for(lang, letterhead.labels),
        },
    )


def draw_letterhead(
    canvas: Canvas,
    letterhead: Letterhead,
    names: FontNames,
    sender: Node | None = None,
    *,
    links: Node | None = None,
) -> None:
    """The sidebar: logo, organisation, title, sender lines with their links.

    On a tagging canvas the sidebar is tagged into ``sender`` (page 1) or, without it, drawn
    as one pagination artifact, except for its link lines, which are tagged into ``links``:
    a ``P`` with its ``Link``, which owns the line's text and its annotation.
    """
    tagging = getattr(canvas, "tagging", None)
    as_artifact = tagging is not None and sender is None
    geometry = letterhead.geometry
    left = geometry.sidebar_left * mm
    width = geometry.sidebar_width * mm
    y = PAGE_HEIGHT - 15 * mm
    canvas.saveState()
    if as_artifact:
        canvas.addLiteral(ARTIFACT_HEADER)
    if letterhead.logo is not None:
        logo_width = min(letterhead.logo_width * mm, width)
        pixels_wide, pixels_high = letterhead.logo_pixels
        logo_height = logo_width * pixels_high / pixels_wide
        y -= logo_height
        if sender is not None:
            # Without alternative text the logo says nothing a reader needs: an artifact.
            canvas.addLiteral(
                canvas.mark(sender.add("Figure", alt=letterhead.logo_alt))
                if letterhead.logo_alt
                else ARTIFACT_HEADER
            )
        draw_logo(canvas, letterhead.logo, letterhead.logo_png, left, y, logo_width, logo_height)
        if sender is not None:
            canvas.addLiteral(END)
        y -= 6 * mm
    text_colour = letterhead.text_colour
    accent = letterhead.accent
    y -= 12
    fill(canvas, text_colour)
    _sender_line(canvas, sender, left, y, letterhead.organisation, names.bold, 13)
    y -= 15
    fill(canvas, accent)
    _sender_line(canvas, sender, left, y, letterhead.title, names.bold, 9.5)
    y -= 20
    size, leading = 7.5, 10.5
    for line in letterhead.sidebar:
        font = names.bold if line.bold else names.regular
        fill(canvas, accent if line.link else text_colour)
        if as_artifact and line.link and links is not None:
            canvas.addLiteral(END)
            _sender_line(canvas, links, left, y, line.text, font, size, link=line.link)
            canvas.addLiteral(ARTIFACT_HEADER)
        else:
            _sender_line(canvas, sender, left, y, line.text, font, size, link=line.link)
        y -= leading
    if as_artifact:
        canvas.addLiteral(END)
    canvas.restoreState()


def _sender_line(
    canvas: Canvas,
    sender: Node | None,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    *,
    link: str | None = None,
) -> None:
    """One sidebar line; tagged as a P (with its Link) when ``sender`` is given."""
    canvas.setFont(font, size)
    node = None
    if sender is not None:
        node = sender.add("P")
        if link:
            node = node.add("Link", url=link)
        canvas.addLiteral(canvas.mark(node))
    drawn, text_width = _kerned(text, font, size)
    _draw_string(canvas, x, y, drawn)
    if node is not None:
        canvas.addLiteral(END)
    if link:
        canvas.linkURL(link, (x, y - 2, x + text_width, y + size), relative=0)


#: How many text origins (``1 0 0 1 x y Tm``) a process keeps: a letterhead has ~12.
_ORIGINS_KEPT = 256
_origins: dict[tuple[float, float], str] = {}


def _origin(x: float, y: float) -> str:
    """The operator that puts a text object's origin at ``x``, ``y`` (``setTextOrigin``)."""
    origin = _origins.get((x, y))
    if origin is None:
        if len(_origins) >= _ORIGINS_KEPT:
            _origins.clear()
        origin = _origins[(x, y)] = f"1 0 0 1 {fp_str(x, y)} Tm"
    return origin


class _Cursor:
    """What :func:`.showtext.show` reads and sets of a text object: its subset and, for a
    font switch, its size and leading. A new text object is in no subset yet (-1)."""

    __slots__ = ("_curSubset", "_fontsize", "_leading")

    def __init__(self, size: float, leading: float) -> None:
        self._curSubset = -1
        self._fontsize = size
        self._leading = leading


def _draw_string(canvas: Canvas, x: float, y: float, text: str) -> None:
    """``canvas.drawString(x, y, text)``, giving the same operators, with less work per line.

    ReportLab's ``drawString`` measures the string (for nothing, without bidi support),
    makes a text object whose origin it prints with ``fp_str``, shows the text through the
    object's ``textLine`` and ``_formatText`` and appends the object's code. In a TrueType
    font this writes the same ``BT … Tm … T* ET`` itself, the text shown by
    :func:`.showtext.show` (what the patched ``_formatText`` calls), which gives the subset
    codes as before; the operators of a line are remembered with the document's codes of
    its font, for the same line on every later page (codes never change once given). The
    origin's operator is remembered per process (the lines are at the same places on every
    page). Other fonts, and text ``show`` leaves to the per-glyph code, go through a text
    object as ever.
    """
    if not canvas.bottomup:
        canvas.drawString(x, y, text)
        return
    size, leading = canvas._fontsize, canvas._leading
    font = getFont(canvas._fontname)
    if font._dynamicFont:
        codes = codes_for(font, canvas._doc)
        key = (text, size, leading, x, y)
        found = codes.remembered.get(key)
        if found is not None and found[0] is text:
            canvas._code.append(found[1])
            return
        shown = show(_Cursor(size, leading), codes, text)
        if shown is not None:
            code = f"BT {_origin(x, y)} {shown} T* ET"
            codes.remembered[key] = (text, code)
            canvas._code.append(code)
            return
    # PDFTextObject.__init__ without its setTextOrigin, whose operator is the origin's.
    line = PDFTextObject.__new__(PDFTextObject)
    line._code = ["BT", _origin(x, y)]
    line._canvas = canvas
    line._fontname = canvas._fontname
    line._fontsize = size
    line._leading = leading
    line._doc = canvas._doc
    line._colorsUsed = canvas._colorsUsed
    line._enforceColorSpace = getattr(canvas, "_enforceColorSpace", None)
    line._curSubset = -1
    line.direction = None
    line._x0 = line._x = x
    line._y0 = line._y = y
    line._textRenderMode = 0
    line._clipping = 0
    line._rise = 0
    line.textLine(text)
    canvas._code.append(line.getCode())


#: How many shaped sidebar lines a process keeps: a letterhead has ~12, a batch worker or
#: ``watch`` sees a few letterheads, and a full table is simply dropped (memory stays flat).
_KERNED_KEPT = 256
_kerned_lines: dict[tuple[Any, str, float], tuple[str, float]] = {}


def _kerned(text: str, font: str, size: float) -> tuple[str, float]:
    """The line with the font's kerning, as the body text has it, and its width.

    ``drawString(shaping=True)`` shapes only when rlbidi is installed; ReportLab's
    ``shapeStr`` does not need it, and ``drawString`` writes the ShapedStr it returns with
    its kerning. Without uharfbuzz the text stays as it is.

    The same letterhead draws the same lines on every page of every release, so a line is
    shaped once per process: keyed by the font object itself (a face registered again
    under the same name is a new key), its text and size. The ShapedStr is only read by
    ``drawString``, never changed, so sharing it gives the same bytes.
    """
    key = (getFont(font), text, size)
    found = _kerned_lines.get(key)
    if found is None:
        if len(_kerned_lines) >= _KERNED_KEPT:
            _kerned_lines.clear()
        found = _kerned_lines[key] = _shape_line(text, font, size)
    return found


def _shape_line(text: str, font: str, size: float) -> tuple[str, float]:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import shapeStr

    if not text or not getattr(getFont(font), "shapable", False):
        return text, stringWidth(text, font, size)
    shaped = shapeStr(text, font, size)
    advances = getattr(shaped, "__shapeData__", None)
    if advances is None:
        return shaped, stringWidth(text, font, size)
    return shaped, sum(glyph.x_advance for glyph in advances) * size / 1000


class PageLimitExceeded(MedieninfoError):
    """The release would run past :data:`MAX_PAGES`."""


def layout_failure() -> type[Exception]:
    """ReportLab's LayoutError, for render.py (which imports no ReportLab): a paragraph its
    splitting cannot place (seen once in 20,000 fuzzed inputs, ReportLab 5.1, before
    and after issue #13)."""
    from reportlab.platypus.doctemplate import LayoutError

    return LayoutError


#: A press release is a few pages; a thousand means pasted data, and would take minutes.
MAX_PAGES = 1000


class ReleaseDocument(BaseDocTemplate):
    """One page template for every page: the text column beside the sidebar."""

    #: Set when the story has photos: lets them float to the next page (see .figure).
    float_figures: Any = None

    def filterFlowables(self, flowables: list[Any]) -> None:
        if self.float_figures is not None:
            self.float_figures(self, flowables)

    def handle_pageBegin(self) -> None:
        if self.page >= MAX_PAGES:
            raise PageLimitExceeded(MAX_PAGES)
        super().handle_pageBegin()

    def __init__(
        self,
        target: Any,
        *,
        letterhead: Letterhead,
        names: FontNames,
        title: str,
        lang: str,
        **kwargs: Any,
    ) -> None:
        geometry = letterhead.geometry
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=geometry.margin_left * mm,
            rightMargin=PAGE_WIDTH - (geometry.margin_left + geometry.text_width) * mm,
            topMargin=geometry.margin_top * mm,
            bottomMargin=geometry.margin_bottom * mm,
            title=title,
            author=letterhead.organisation,
            subject=letterhead.title,
            creator=CREATOR,
            producer="medieninfo",
            lang=lang,
            displayDocTitle=1,
            invariant=1,
            initialFontName=names.regular,
            initialFontSize=10,
            **kwargs,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="text",
        )

        def on_page(canvas: Canvas, _doc: Any) -> None:
            tagging = getattr(canvas, "tagging", None)
            number = canvas.getPageNumber()
            sender = links = None
            if tagging is not None and number == 1:
                # Who sent the release comes first in reading order, as it does on the page.
                sender = tagging.root.prepend("Aside")
            elif tagging is not None and any(line.link for line in letterhead.sidebar):
                links = tagging.page_aside(number - 1, "Aside")
            draw_letterhead(canvas, letterhead, names, sender, links=links)
            if tagging is not None:
                canvas.addLiteral(ARTIFACT_FOOTER)
            canvas.doForm(_page_form(number))
            if tagging is not None:
                canvas.addLiteral(END)

        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
