"""Draw stage: the letterhead on every page, page numbers, and the document template.

The sidebar is drawn at the start of each page, before the text, so that text extraction
(and later the reading order) finds the letterhead first, as on the reference document.
``Seite n von N`` needs N before the last page is known: each page shows a form XObject that
is filled in once the document is complete, which keeps layout to a single pass.
"""

from __future__ import annotations

import datetime as dt
from hashlib import md5
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from .fonts import FontNames
from .letterhead import Letterhead

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
                self.drawString(self.footer_x, _FOOTER_Y, f"Seite {number} von {total}")
            self.endForm()
        super().save()


def canvas_class(letterhead: Letterhead, names: FontNames, date: dt.date) -> type[Canvas]:
    return type(
        "ReleaseCanvas",
        (LetterheadCanvas,),
        {
            "footer_font": names.regular,
            "footer_x": letterhead.geometry.margin_left * mm,
            "footer_colour": letterhead.text_colour,
            "date": date,
        },
    )


def draw_letterhead(canvas: Canvas, letterhead: Letterhead, names: FontNames) -> None:
    """The sidebar: logo, organisation, title, sender lines with their links."""
    geometry = letterhead.geometry
    left = geometry.sidebar_left * mm
    width = geometry.sidebar_width * mm
    y = PAGE_HEIGHT - 15 * mm
    canvas.saveState()
    if letterhead.logo is not None:
        logo_width = min(letterhead.logo_width * mm, width)
        from reportlab.lib.utils import ImageReader

        image = ImageReader(str(letterhead.logo))
        pixels_wide, pixels_high = image.getSize()
        logo_height = logo_width * pixels_high / pixels_wide
        y -= logo_height
        canvas.drawImage(image, left, y, logo_width, logo_height)
        y -= 6 * mm
    text_colour = HexColor(letterhead.text_colour)
    accent = HexColor(letterhead.accent)
    y -= 12
    canvas.setFillColor(text_colour)
    canvas.setFont(names.bold, 13)
    canvas.drawString(left, y, letterhead.organisation)
    y -= 15
    canvas.setFillColor(accent)
    canvas.setFont(names.bold, 9.5)
    canvas.drawString(left, y, letterhead.title)
    y -= 20
    size, leading = 7.5, 10.5
    for line in letterhead.sidebar:
        font = names.bold if line.bold else names.regular
        canvas.setFont(font, size)
        canvas.setFillColor(accent if line.link else text_colour)
        canvas.drawString(left, y, line.text)
        if line.link:
            text_width = canvas.stringWidth(line.text, font, size)
            canvas.linkURL(line.link, (left, y - 2, left + text_width, y + size), relative=0)
        y -= leading
    canvas.restoreState()


class ReleaseDocument(BaseDocTemplate):
    """One page template for every page: the text column beside the sidebar."""

    def __init__(self, target: Any, *, letterhead: Letterhead, names: FontNames,
                 title: str, lang: str, **kwargs: Any) -> None:
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
            creator="medieninfo",
            producer="medieninfo",
            lang=lang,
            displayDocTitle=1,
            invariant=1,
            initialFontName=names.regular,
            initialFontSize=10,
            **kwargs,
        )
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text",
        )

        def on_page(canvas: Canvas, _doc: Any) -> None:
            draw_letterhead(canvas, letterhead, names)
            canvas.doForm(_page_form(canvas.getPageNumber()))

        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
