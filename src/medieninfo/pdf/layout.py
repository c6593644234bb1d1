"""Layout stage: turn a release and its letterhead into ReportLab flowables.

This is the only place where text becomes ReportLab paragraph markup. Every piece of user
text passes through :func:`_escape` first, so nothing a user types is read as markup: the
tags in the markup are the ones this module writes, and link targets are limited to
``http``, ``https`` and ``mailto`` before they get here.

It also builds the structure tree (:mod:`.tagging`) alongside the story: each flowable is a
tagged subclass that carries its structure element and, when drawn on a tagging canvas,
wraps what it draws in marked content, so text and structure come from the same place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
)
from reportlab.platypus.flowables import BulletDrawer

from ..model.content import (
    CHUNK_CHARS,
    Block,
    Heading,
    ListBlock,
    Span,
    plain_text,
    split_long_paragraphs,
)
from ..model.content import Paragraph as TextParagraph
from ..model.letterhead import Letterhead
from ..model.release import Release
from .fonts import FontNames
from .tagging import END, Node, new_document

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
    #: Font for each character the letterhead's font lacks (see glyphs.check).
    fallback: Mapping[str, str] = field(default_factory=dict)


def make_styles(
    letterhead: Letterhead,
    names: FontNames,
    hyphenator: Hyphenator | None,
    *,
    fallback: Mapping[str, str] | None = None,
    tight: bool = False,
) -> Styles:
    """The paragraph styles. ``tight`` sets paragraphs and headings a little closer, for a
    second layout that may pull a line or two back from an otherwise almost empty page."""
    gap = 0.7 if tight else 1.0
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
        # Kerning: ReportLab shapes each word with HarfBuzz (the font's GPOS 'kern'; Noto
        # Sans has no old 'kern' table). Only kerning, no ligatures: patches.SHAPING_FEATURES.
        shaping=1,
    )
    body = ParagraphStyle("body", parent=base, spaceAfter=7 * gap, hyphenationLang=hyphenator or "")
    heading = ParagraphStyle(
        "h2",
        parent=base,
        fontName=names.bold,
        fontSize=11.5,
        leading=15,
        spaceBefore=9 * gap,
        spaceAfter=4,
    )
    return Styles(
        date=ParagraphStyle("date", parent=base, spaceAfter=0),
        embargo=ParagraphStyle(
            "embargo",
            parent=base,
            fontName=names.bold,
            textColor=letterhead.accent,
            borderColor=letterhead.accent,
            borderWidth=0.8,
            borderPadding=(4, 6, 4, 6),
            spaceBefore=10,
            spaceAfter=6,
        ),
        headline=ParagraphStyle(
            "headline",
            parent=base,
            fontName=names.bold,
            fontSize=15,
            leading=19,
            spaceBefore=16,
            spaceAfter=8,
        ),
        subtitle=ParagraphStyle(
            "subtitle",
            parent=base,
            fontName=names.bold_italic,
            fontSize=11,
            leading=15,
            spaceAfter=12,
        ),
        body=body,
        h2=heading,
        h3=ParagraphStyle("h3", parent=heading, fontSize=10.5, spaceBefore=7),
        list_body=ParagraphStyle("li", parent=body, spaceAfter=3),
        contact=ParagraphStyle("contact", parent=base, spaceBefore=14 * gap),
        fallback=dict(fallback or {}),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(text: str, fallback: Mapping[str, str]) -> str:
    """Escaped text; characters the main font lacks are set in their fallback font."""
    if not fallback or not any(char in fallback for char in text):
        return _escape(text)
    parts = []
    for face, group in groupby(text, key=fallback.get):
        chunk = _escape("".join(group))
        # ``face`` is a font name we registered (glyphs.FALLBACK_FONTS), never user text.
        parts.append(f'<font face="{face}">{chunk}</font>' if face else chunk)
    return "".join(parts)


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def markup(
    spans: Sequence[Span], *, link_colour: str, fallback: Mapping[str, str] | None = None
) -> str:
    """ReportLab paragraph markup for spans; the only tags are the ones written here."""
    parts = []
    for span in spans:
        if span.text == "\n":
            parts.append("<br/>")
            continue
        text = _text(span.text, fallback or {})
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


def plain_markup(text: str, fallback: Mapping[str, str] | None = None) -> str:
    return _text(text, fallback or {})


def format_date(value: Any) -> str:
    """German short date as on the reference: 28.4.2022."""
    return f"{value.day}.{value.month}.{value.year}"


def build_story(
    release: Release,
    blocks: Sequence[Block],
    letterhead: Letterhead,
    styles: Styles,
    structure: Node | None = None,
) -> list[Flowable]:
    """The flowables of a release; their structure elements go below ``structure``."""
    root = structure if structure is not None else new_document()

    def para(
        text: str, style: ParagraphStyle, role: str = "P", level: int | None = None
    ) -> list[Flowable]:
        """A paragraph of plain text (escaped here) with its own structure element; a very
        long one in pieces, as the body's paragraphs are (:func:`_plain_pieces`)."""
        node = root.add(role)
        return [
            TaggedParagraph(
                plain_markup(piece, styles.fallback),
                style,
                node=node,
                outline_level=level if index == 0 else None,
            )
            for index, piece in enumerate(_plain_pieces(text))
        ]

    story: list[Flowable] = para(format_date(release.date), styles.date)
    if release.number is not None:
        story.extend(para(f"{release.number}.", styles.date))
    if release.embargo is not None:
        embargo = release.embargo
        clock = f"{embargo.hour}:{embargo.minute:02d}"
        story.extend(para(f"Sperrfrist: {format_date(embargo)}, {clock} Uhr", styles.embargo))
    story.extend(para(release.headline, styles.headline, "H1", level=0))
    if release.subtitle:
        story.extend(para(release.subtitle, styles.subtitle))
    story.extend(_flowables(blocks, styles, letterhead.accent, root))
    if release.contact:
        story.extend(para(f"Kontakt: {release.contact}", styles.contact))
    return story


def _plain_pieces(text: str) -> list[str]:
    """``text`` cut where a long body paragraph is cut (``content.CHUNK_CHARS``): ReportLab
    re-breaks a paragraph once for every page it runs over, so one long headline, subtitle
    or contact line would cost time quadratic in its length."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    pieces = split_long_paragraphs([TextParagraph((Span(text),))])
    return [plain_text(piece.spans) for piece in pieces if isinstance(piece, TextParagraph)]


def _flowables(
    blocks: Sequence[Block],
    styles: Styles,
    accent: str,
    parent: Node,
    *,
    paragraph_style: ParagraphStyle | None = None,
) -> list[Flowable]:
    out: list[Flowable] = []
    # A very long paragraph arrives cut into pieces (``continues``); they are one P element.
    continued: Node | None = None
    for index, block in enumerate(blocks):
        if isinstance(block, TextParagraph):
            node = continued or parent.add("P")
            continued = node if block.continues else None
            out.append(
                TaggedParagraph(
                    markup(block.spans, link_colour=accent, fallback=styles.fallback),
                    paragraph_style or styles.body,
                    node=node,
                )
            )
            continue
        continued = None
        if isinstance(block, Heading):
            style = styles.h2 if block.level <= 2 else styles.h3
            # Room for the heading and the start of what follows, or a new page. Not
            # keepWithNext: ReportLab would carry a whole long paragraph (and the heading)
            # to the next page, leaving most of this one empty.
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            out.append(
                CondPageBreak(
                    style.leading + style.spaceBefore + _opening_height(following, styles)
                )
            )
            level = 2 if block.level <= 2 else 3
            out.append(
                TaggedParagraph(
                    markup(block.spans, link_colour=accent, fallback=styles.fallback),
                    style,
                    node=parent.add(f"H{level}"),
                    outline_level=level - 1,
                )
            )
        elif isinstance(block, ListBlock):
            out.append(_list(block, styles, accent, parent, top_level=paragraph_style is None))
    return out


#: Characters in a line of the text column, roughly: enough to estimate a short list's height.
_CHARS_PER_LINE = 60


def _opening_height(block: Block | None, styles: Styles) -> float:
    """How much of ``block`` must fit below a heading: two lines, or a whole short list
    (short lists are kept together, see :func:`_list`)."""
    two_lines = 2 * styles.body.leading
    if isinstance(block, ListBlock) and len(block.items) <= _SHORT_LIST:
        lines = sum(
            max(
                1,
                -(
                    -sum(
                        len(span.text)
                        for b in item
                        if isinstance(b, TextParagraph)
                        for span in b.spans
                    )
                    // _CHARS_PER_LINE
                ),
            )
            for item in block.items
        )
        return lines * styles.list_body.leading + len(block.items) * styles.list_body.spaceAfter
    if isinstance(block, Heading):
        return styles.h3.leading + two_lines
    return two_lines if block is not None else 0.0


#: Lists with at most this many items are kept on one page.
_SHORT_LIST = 3


def _list(
    block: ListBlock, styles: Styles, accent: str, parent: Node, *, top_level: bool = True
) -> Flowable:
    node = parent.add("L")
    items = []
    for number, item in enumerate(block.items, start=block.start):
        entry = node.add("LI")
        entry.add("Lbl")
        flowables = _flowables(
            item, styles, accent, entry.add("LBody"), paragraph_style=styles.list_body
        )
        if not flowables:
            node.kids.remove(entry)
            continue
        items.append(ListItem(flowables, value=number) if block.ordered else ListItem(flowables))
    body = styles.list_body
    listing = TaggedList(
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
    # A short list stays on one page; only a top-level one: ReportLab cannot wrap a
    # KeepTogether inside a list item (NotImplementedError from _FrameBreak.wrap).
    return KeepTogether([listing]) if top_level and len(items) <= _SHORT_LIST else listing


class _MarkedText(PDFTextObject):
    """A text object whose marked content ends inside it: BT … BDC … EMC ET."""

    def getCode(self) -> str:
        self._code.append(END)
        return str(super().getCode())


class TaggedParagraph(Paragraph):
    """A paragraph that draws its text as marked content of its structure element.

    Without links, the whole drawing (border included) is one marked-content sequence.
    With links, the marking moves inside the text object, because the link text gets its
    own sequences in a ``Link`` element through ReportLab's ``_linkRecord`` hook, which is
    called inside the text object; beginning and ending there keeps BDC/EMC nested with
    BT/ET. Split halves share the node (one element, one MCID per page piece).
    """

    def __init__(
        self,
        text: Any,
        style: Any = None,
        *args: Any,
        node: Node | None = None,
        outline_level: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(text, style, *args, **kwargs)
        # Our markup writes every link as <a href=…>; user text cannot (it is escaped).
        self.tag_has_links = isinstance(text, str) and "<a href=" in text
        self.tag_node = node
        self.outline_level = outline_level
        # Link elements by ReportLab's link key, shared by the pieces of a split paragraph.
        self.tag_links: dict[Any, Node] = {}

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        pieces = super().split(availWidth, availHeight)
        for index, piece in enumerate(pieces):
            piece.tag_node = self.tag_node
            piece.tag_links = self.tag_links
            piece.tag_has_links = self.tag_has_links
            piece.outline_level = self.outline_level if index == 0 else None
        return list(pieces)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tagging = getattr(canvas, "tagging", None)
        if self.outline_level is not None:
            self._bookmark(canvas, x, y)
        if tagging is None or self.tag_node is None or self.tag_has_links:
            super().drawOn(canvas, x, y, _sW)
            return
        canvas.addLiteral(canvas.mark(self.tag_node))
        super().drawOn(canvas, x, y, _sW)
        canvas.addLiteral(END)

    def beginText(self, x: float, y: float) -> Any:
        text = super().beginText(x, y)
        canvas = self.canv
        node = self.tag_node
        if getattr(canvas, "tagging", None) is None or node is None or not self.tag_has_links:
            return text
        text.__class__ = _MarkedText
        if self.blPara.kind == 0:
            # One run of one style: ReportLab draws it without the _linkRecord hook, so the
            # whole text is the link, or (the plain half of a split paragraph) no link at all.
            links = getattr(self.blPara, "link", None)
            text._code.append(canvas.mark(self._link_node(links[0]) if links else node))
            return text
        text._code.append(canvas.mark(node))

        def record(key: Any, event: str) -> None:
            if event == "start":
                # Called after the link's first run is written: mark from just before it.
                text._code.insert(len(text._code) - 1, f"{END} {canvas.mark(self._link_node(key))}")
            else:
                text._code.append(f"{END} {canvas.mark(node)}")

        text._linkRecord = record
        return text

    def _link_node(self, key: Any) -> Node:
        assert self.tag_node is not None
        if key not in self.tag_links:
            self.tag_links[key] = self.tag_node.add("Link", url=key[1])
        return self.tag_links[key]

    def _bookmark(self, canvas: Any, x: float, y: float) -> None:
        """Outline entry for a heading; levels may rise by one at a time only."""
        if not hasattr(canvas, "outline_level") or self.outline_level is None:
            return
        level = min(self.outline_level, canvas.outline_level + 1)
        canvas.outline_level = level
        canvas.outline_count += 1
        key = f"heading{canvas.outline_count}"
        canvas.bookmarkHorizontal(key, x, y + self.height)
        title = self.getPlainText().replace("\xad", "")
        canvas.addOutlineEntry(title, key, level=level)


class _TaggedBullet(BulletDrawer):
    """A list label (Lbl) of the list item whose first flowable it is drawn beside."""

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        node = getattr(indenter._flowable, "tag_node", None)
        item = node.ancestor("LI") if node is not None else None
        if getattr(canv, "tagging", None) is None or item is None:
            super().drawOn(indenter, canv, x, y, _sW)
            return
        label = item.kids[0]
        canv.addLiteral(canv.mark(label))
        super().drawOn(indenter, canv, x, y, _sW)
        canv.addLiteral(END)


class TaggedList(ListFlowable):
    """A list whose bullets and numbers are tagged as the labels of their items."""

    def _makeBullet(self, value: Any, params: Any = None) -> Any:
        bullet = super()._makeBullet(value, params)
        bullet.__class__ = _TaggedBullet
        return bullet
