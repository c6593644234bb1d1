"""Layout stage: turn a release and its letterhead into ReportLab flowables.

This is the only place where text becomes ReportLab paragraph markup. Every piece of user
text passes through :func:`_escape` first, so nothing a user types is read as markup: the
tags in the markup are the ones this module writes, and link targets are limited to
``http``, ``https`` and ``mailto`` before they get here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
)

from . import _rlpatch
from .content import Block, Heading, ListBlock, Span
from .content import Paragraph as TextParagraph
from .fonts import FontNames
from .letterhead import Letterhead
from .release import Release

_rlpatch.apply()

Hyphenator = Callable[[str], Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Styles:
    date: ParagraphStyle
    embargo: ParagraphStyle
    headline: ParagraphStyle
    subtitle: ParagraphStyle
    body: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    list_body: ParagraphStyle
    contact: ParagraphStyle


def make_styles(letterhead: Letterhead, names: FontNames, hyphenator: Hyphenator | None) -> Styles:
    base = ParagraphStyle(
        "base",
        fontName=names.family,
        fontSize=10.5,
        leading=15,
        textColor=letterhead.text_colour,
        alignment=TA_LEFT,
        allowWidows=0,
        allowOrphans=0,
        # Never break a word without a hyphen: a too-long word overflows visibly instead.
        splitLongWords=0,
        # URLs break only after / . - ? (ReportLab's uri splitting), never mid-word.
        uriWasteReduce=0.3,
        embeddedHyphenation=1,
        hyphenationMinWordLength=5,
    )
    body = ParagraphStyle("body", parent=base, spaceAfter=7, hyphenationLang=hyphenator or "")
    heading = ParagraphStyle(
        "h2", parent=base, fontName=names.bold, fontSize=11.5, leading=15,
        spaceBefore=9, spaceAfter=4, keepWithNext=1,
    )
    return Styles(
        date=ParagraphStyle("date", parent=base, spaceAfter=0),
        embargo=ParagraphStyle(
            "embargo", parent=base, fontName=names.bold, textColor=letterhead.accent,
            borderColor=letterhead.accent, borderWidth=0.8, borderPadding=(4, 6, 4, 6),
            spaceBefore=10, spaceAfter=6,
        ),
        headline=ParagraphStyle(
            "headline", parent=base, fontName=names.bold, fontSize=15, leading=19,
            spaceBefore=16, spaceAfter=8, keepWithNext=1,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=base, fontName=names.bold_italic, fontSize=11, leading=15,
            spaceAfter=12, keepWithNext=1,
        ),
        body=body,
        h2=heading,
        h3=ParagraphStyle("h3", parent=heading, fontSize=10.5, spaceBefore=7),
        list_body=ParagraphStyle("li", parent=body, spaceAfter=3),
        contact=ParagraphStyle("contact", parent=base, spaceBefore=14),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def markup(spans: Sequence[Span], *, link_colour: str) -> str:
    """ReportLab paragraph markup for spans; the only tags are the ones written here."""
    parts = []
    for span in spans:
        if span.text == "\n":
            parts.append("<br/>")
            continue
        text = _escape(span.text)
        if span.sub:
            text = f"<sub>{text}</sub>"
        if span.sup:
            text = f"<super>{text}</super>"
        if span.italic:
            text = f"<i>{text}</i>"
        if span.bold:
            text = f"<b>{text}</b>"
        if span.link:
            text = f'<a href="{_attribute(span.link)}" color="{link_colour}">{text}</a>'
        parts.append(text)
    return "".join(parts)


def plain_markup(text: str) -> str:
    return _escape(text)


def format_date(value: Any) -> str:
    """German short date as on the reference: 28.4.2022."""
    return f"{value.day}.{value.month}.{value.year}"


def build_story(release: Release, blocks: Sequence[Block], letterhead: Letterhead,
                styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(plain_markup(format_date(release.date)), styles.date)]
    if release.number is not None:
        story.append(Paragraph(plain_markup(f"{release.number}."), styles.date))
    if release.embargo is not None:
        embargo = release.embargo
        clock = f"{embargo.hour}:{embargo.minute:02d}"
        story.append(
            Paragraph(
                plain_markup(f"Sperrfrist: {format_date(embargo)}, {clock} Uhr"), styles.embargo
            )
        )
    story.append(Paragraph(plain_markup(release.headline), styles.headline))
    if release.subtitle:
        story.append(Paragraph(plain_markup(release.subtitle), styles.subtitle))
    story.extend(_flowables(blocks, styles, letterhead.accent))
    if release.contact:
        story.append(Paragraph(plain_markup(f"Kontakt: {release.contact}"), styles.contact))
    return story


def _flowables(blocks: Sequence[Block], styles: Styles, accent: str,
               *, paragraph_style: ParagraphStyle | None = None) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Heading):
            style = styles.h2 if block.level <= 2 else styles.h3
            # Room for the heading and two lines of what follows, or a new page: keepWithNext
            # alone cannot stop a heading from ending a page above a split paragraph.
            out.append(CondPageBreak(style.leading + style.spaceBefore + 2 * styles.body.leading))
            out.append(Paragraph(markup(block.spans, link_colour=accent), style))
        elif isinstance(block, TextParagraph):
            out.append(
                Paragraph(markup(block.spans, link_colour=accent), paragraph_style or styles.body)
            )
        elif isinstance(block, ListBlock):
            out.append(_list(block, styles, accent))
    return out


def _list(block: ListBlock, styles: Styles, accent: str) -> Flowable:
    items = []
    for number, item in enumerate(block.items, start=block.start):
        flowables = _flowables(item, styles, accent, paragraph_style=styles.list_body)
        if not flowables:
            continue
        items.append(ListItem(flowables, value=number) if block.ordered else ListItem(flowables))
    body = styles.list_body
    listing = ListFlowable(
        items,
        bulletType="1" if block.ordered else "bullet",
        bulletFormat="%s." if block.ordered else None,
        start=block.start if block.ordered else "–",
        bulletFontName=body.fontName,
        bulletFontSize=body.fontSize,
        leftIndent=5 * mm,
        bulletDedent=5 * mm,
        spaceAfter=body.spaceAfter + 4,
    )
    return KeepTogether([listing]) if len(items) <= 3 else listing
