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

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from reportlab.lib.colors import toColor
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
)
from reportlab.platypus.flowables import BulletDrawer
from reportlab.platypus.paragraph import (
    _InjectedFrag,
    _SplitFragH,
    _SplitFragHY,
    _SplitFragLL,
    _SplitWordH,
    _SplitWordHY,
    _SplitWordLL,
)

from ..model.content import (
    CHUNK_CHARS,
    Block,
    Figure,
    Heading,
    ListBlock,
    Span,
    plain_text,
    split_long_paragraphs,
)
from ..model.content import Paragraph as TextParagraph
from ..model.labels import labels_for
from ..model.letterhead import Letterhead
from ..model.release import Release
from .breaking import TotalFitParagraph
from .fonts import FontNames
from .fragments import is_plain, plain_fragments
from .lines import draw_paragraph
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


#: Styles made, by everything they are made from; few per process (a letterhead's colours
#: and alignment, its fonts, a language's hyphenator), so 16 are kept and then started anew.
_STYLES: dict[tuple[object, ...], Styles] = {}
_STYLES_KEPT = 16


def make_styles(
    letterhead: Letterhead,
    names: FontNames,
    hyphenator: Hyphenator | None,
    *,
    fallback: Mapping[str, str] | None = None,
    tight: bool = False,
) -> Styles:
    """The paragraph styles. ``tight`` sets paragraphs and headings a little closer, for a
    second layout that may pull a line or two back from an otherwise almost empty page.

    The same inputs give the same styles object, made once per process: nothing changes a
    style after this (ReportLab's split copies one before it sets an indent), and the key
    holds every value the styles are made from.
    """
    key = (
        letterhead.text_colour,
        letterhead.accent,
        letterhead.text_align,
        names,
        hyphenator,
        tuple(sorted((fallback or {}).items())),
        tight,
    )
    styles = _STYLES.get(key)
    if styles is None:
        if len(_STYLES) >= _STYLES_KEPT:
            _STYLES.clear()
        styles = _STYLES[key] = _make_styles(
            letterhead, names, hyphenator, fallback=fallback, tight=tight
        )
    return styles


def _make_styles(
    letterhead: Letterhead,
    names: FontNames,
    hyphenator: Hyphenator | None,
    *,
    fallback: Mapping[str, str] | None,
    tight: bool,
) -> Styles:
    gap = 0.7 if tight else 1.0
    # Colours as ReportLab's objects, parsed here once: a colour given as text is parsed
    # again (a CSS regex, then the named colours) each time a paragraph is drawn.
    text_colour, accent = toColor(letterhead.text_colour), toColor(letterhead.accent)
    base = ParagraphStyle(
        "base",
        fontName=names.family,
        fontSize=10.5,
        leading=15,
        textColor=text_colour,
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
    body = ParagraphStyle(
        "body",
        parent=base,
        spaceAfter=7 * gap,
        hyphenationLang=hyphenator or "",
        # The letterhead's text_align: ragged right (default) or justified (breaking.py).
        alignment=TA_JUSTIFY if letterhead.text_align == "justify" else TA_LEFT,
    )
    heading = ParagraphStyle(
        "h2",
        parent=base,
        fontName=names.bold,
        fontSize=11.5,
        leading=15,
        spaceBefore=9 * gap,
        spaceAfter=4,
    )
    headline = ParagraphStyle(
        "headline",
        parent=base,
        fontName=names.bold,
        fontSize=15,
        leading=19,
        spaceBefore=16,
        spaceAfter=8,
    )
    subtitle = ParagraphStyle(
        "subtitle",
        parent=base,
        fontName=names.bold_italic,
        fontSize=11,
        leading=15,
        spaceAfter=12,
    )
    h3 = ParagraphStyle("h3", parent=heading, fontSize=10.5, spaceBefore=7)
    # Headline, subtitle and subheadings are balanced (no line ends in a lone word), see
    # breaking.py; body text is ragged right.
    for balanced in (headline, subtitle, heading, h3):
        balanced.line_breaking = "balance"
    return Styles(
        date=ParagraphStyle("date", parent=base, spaceAfter=0),
        embargo=ParagraphStyle(
            "embargo",
            parent=base,
            fontName=names.bold,
            textColor=accent,
            borderColor=accent,
            borderWidth=0.8,
            borderPadding=(4, 6, 4, 6),
            # The border is drawn borderPadding outside the text: indent the text by as
            # much, so the box lines up with the column instead of sticking out 6 pt.
            leftIndent=6,
            rightIndent=6,
            spaceBefore=10,
            spaceAfter=6,
        ),
        headline=headline,
        subtitle=subtitle,
        body=body,
        h2=heading,
        h3=h3,
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

    labels = labels_for(release.lang, letterhead.labels)
    story: list[Flowable] = para(labels.date(release.date), styles.date)
    if release.number is not None:
        story.extend(para(f"{release.number}.", styles.date))
    if release.embargo is not None:
        story.extend(para(labels.embargo(release.embargo), styles.embargo))
    story.extend(para(release.headline, styles.headline, "H1", level=0))
    if release.subtitle:
        story.extend(para(release.subtitle, styles.subtitle))

    def figure(block: Figure, parent: Node) -> list[Flowable]:
        return _figure(block, parent, release=release, letterhead=letterhead, styles=styles)

    story.extend(_flowables(blocks, styles, letterhead.accent, root, figure=figure))
    if release.contact:
        story.extend(para(labels.contact(release.contact), styles.contact))
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
    figure: Callable[[Figure, Node], list[Flowable]] | None = None,
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
                    continues=block.continues,
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
        elif isinstance(block, Figure) and figure is not None:
            out.extend(figure(block, parent))
    return out


def _figure(
    block: Figure, parent: Node, *, release: Release, letterhead: Letterhead, styles: Styles
) -> list[Flowable]:
    """A photo with its caption and credit (see :mod:`.figure`): a ``Figure`` element with
    the alternative text, then a ``Caption``; a decorative photo only its text, as a ``P``."""
    if block.photo is None:
        return []  # not checked by model.figures.resolve: nothing to draw
    from ..model.photo import credit_line
    from .figure import FigureFlowable, caption_styles

    caption_style, credit_style = caption_styles(styles.body)
    node = None if block.decorative else parent.add("Figure", alt=block.alt)
    text_node = parent.add("P" if block.decorative else "Caption")
    caption = credit = None
    if block.caption:
        text = plain_markup(block.caption, styles.fallback)
        caption = TaggedParagraph(f"<i>{text}</i>", caption_style, node=text_node)
    if line := credit_line(block, release.lang):
        credit = TaggedParagraph(plain_markup(line, styles.fallback), credit_style, node=text_node)
    if caption is None and credit is None:
        parent.kids.remove(text_node)
    geometry = letterhead.geometry
    column_height = (297.0 - geometry.margin_top - geometry.margin_bottom) * mm
    return [
        FigureFlowable(
            block,
            caption=caption,
            credit=credit,
            column_height=column_height,
            node=node,
            max_dpi=letterhead.photo_dpi,
        )
    ]


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
        sub = [b for b in item if isinstance(b, ListBlock)]
        if len(flowables) >= 2 and len(sub) == 1 and len(sub[0].items) == 1:
            # An item is not parted from its only sub-item: the list splits into one
            # flowable per paragraph, and the page template keeps this one with the next.
            flowables[-2].keepWithNext = 1
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


#: A text-showing operator with at least one character: (…) Tj, [(…) 20 (…)] TJ.
_SHOWS_TEXT = re.compile(r"\((?:[^)\\]|\\.)+\)[^()]*T[jJ]")


class _MarkedText(PDFTextObject):
    """A text object whose marked content ends inside it: BT … BDC … EMC ET.

    In a paragraph with links, the paragraph's own text between the links is marked in
    runs, each a ``Span`` of the paragraph, so that the structure lists the paragraph's
    text and its links in the order they are painted. A run that shows no text (a link
    at the start or the end of the text) is not kept: its MCID goes to the link that
    follows, or back to the recorder.
    """

    tag_canvas: Any = None
    #: The open run: (index of its BDC in the code, page, MCID), or None.
    tag_run: tuple[int, int, int] | None = None

    def open_run(self, node: Node) -> None:
        canvas = self.tag_canvas
        page = canvas.getPageNumber() - 1
        operator = canvas.mark(node)
        self.tag_run = (len(self._code), page, canvas.tagging.count(page) - 1)
        self._code.append(operator)

    def run_is_empty(self, end: int | None = None) -> bool:
        assert self.tag_run is not None
        return not any(_SHOWS_TEXT.search(item) for item in self._code[self.tag_run[0] + 1 : end])

    def close_run(self) -> None:
        """End the open run, or take it back if it showed nothing."""
        if self.tag_run is None:
            return
        index, page, mcid = self.tag_run
        empty = self.run_is_empty()
        self.tag_run = None
        if empty and self.tag_canvas.tagging.release_if_last(page, mcid):
            del self._code[index]
        else:
            self._code.append(END)

    def getCode(self) -> str:
        if self.tag_run is not None:
            self.close_run()
        else:
            self._code.append(END)
        return str(super().getCode())


#: What a line-end hyphen the line breaker inserted is drawn as: ISO 32000-1 14.8.2.2.3 wants
#: it to read as a soft hyphen, so that text extraction and screen readers rejoin the word.
SOFT_HYPHEN = "\xad"

# ReportLab's classes for the head of a word split at a line end: with a hyphen it inserted
# (HY; LL when the split falls at the end of a page), or at a hyphen, slash … of the text (H).
_INSERTED_HYPHEN = (_SplitFragHY, _SplitFragLL, _SplitWordHY, _SplitWordLL)
_SPLIT_WORD = (_SplitFragH, _SplitWordH)


def _last_text(frags: Sequence[Any]) -> int | None:
    """The index of the last frag of a line that draws text, or None."""
    for index in range(len(frags) - 1, -1, -1):
        frag = frags[index]
        if not hasattr(frag, "cbDefn") and bool(getattr(frag, "text", None)):
            return index
    return None


def _first_link(line: Any) -> Any:
    """The links of a line's first frag that draws text."""
    for frag in line.words:
        if not hasattr(frag, "cbDefn") and bool(getattr(frag, "text", None)):
            return frag.link
    return None


def _with_end(text: str, end: str, *, replace: bool) -> str:
    """``text`` with its last character replaced by ``end``, or ``end`` appended.

    A shaped word keeps HarfBuzz's positions: a soft hyphen takes the place of the hyphen
    (same advance in every font, see fonts._alias_soft_hyphen); an appended space comes last on
    the line, so nothing is positioned after it.
    """
    from reportlab.pdfbase.ttfonts import ShapedStr

    if replace:
        if isinstance(text, ShapedStr):
            return ShapedStr(str(text)[:-1] + end, text.__shapeData__)
        return text[:-1] + end
    return text + end


class TaggedParagraph(TotalFitParagraph):
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
        continues: bool = False,
        **kwargs: Any,
    ) -> None:
        if isinstance(text, str) and not args and kwargs.get("frags") is None and is_plain(text):
            # Nearly every paragraph: its one fragment made without parsing the text.
            text, kwargs["frags"] = plain_fragments(text, style)
        super().__init__(text, style, *args, **kwargs)
        # The next flowable is the rest of this paragraph: its last line ends mid-text.
        self.tag_continues = continues
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
            piece.tag_continues = self.tag_continues or index < len(pieces) - 1
        return list(pieces)

    def mark_line_ends(self) -> None:
        """Make the text read right where a line ends (ISO 32000-1 14.8.2.5, 14.8.2.2.3).

        A reader rebuilding the text from the structure sees no line break: a line that ends
        between two words gets the space that was there (drawn after the last glyph,
        invisible); a line that ends in a hyphen the line breaker inserted gets a soft
        hyphen (U+00AD, the hyphen's glyph) instead, so that the word reads whole. A word
        broken at its own hyphen or slash (``EU-⏎Mission``, a URL) is left as it is. Called
        once the lines are final, just before drawing.
        """
        para = getattr(self, "blPara", None)
        if para is None or getattr(para, "tag_ends_marked", False):
            return
        para.tag_ends_marked = True
        lines = para.lines
        count = len(lines) if self.tag_continues else len(lines) - 1
        if para.kind == 0:
            for _extra, words in lines[:count]:
                if not words:
                    continue
                if isinstance(words[-1], _INSERTED_HYPHEN):
                    if words[-1].endswith("-"):
                        words[-1] = _with_end(words[-1], SOFT_HYPHEN, replace=True)
                elif not isinstance(words[-1], _SPLIT_WORD):
                    words[-1] = _with_end(words[-1], " ", replace=False)
            return
        words = self.frags
        for index, line in enumerate(lines[:count]):
            # ReportLab records where in its list of words each line starts (FragLine.sFW).
            start = getattr(line, "sFW", None)
            end = getattr(lines[index + 1], "sFW", None) if index + 1 < len(lines) else len(words)
            if start is None or end is None:
                continue
            # The line's last word that is not an injected break (the word before the
            # break, mostly): read backwards in place, no copy of the line's words.
            k = end - 1
            while k >= start and isinstance(words[k], _InjectedFrag):
                k -= 1
            last = words[k] if k >= start else None
            at = _last_text(line.words)
            if at is None:
                continue
            frag = line.words[at]
            if isinstance(last, _INSERTED_HYPHEN) and frag.text.endswith("-"):
                frag.text = _with_end(frag.text, SOFT_HYPHEN, replace=True)
            elif isinstance(last, _SPLIT_WORD) or frag.text.endswith(" "):
                continue
            elif frag.link and (
                index + 1 == len(lines) or _first_link(lines[index + 1]) == frag.link
            ):
                # A link that goes on in the next line (or, at the foot of a page, may go on
                # on the next page): the space is part of its text, which stays one run.
                frag.text = _with_end(frag.text, " ", replace=False)
            else:
                # A frag of its own, outside any link or underline: a link that ends the
                # line keeps its text and its rectangle to the last glyph.
                space = object.__new__(type(frag))  # frag.clone(), without its keywords
                space.__dict__.update(frag.__dict__, text=" ", link=[], us_lines=[])
                line.words.insert(at + 1, space)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.mark_line_ends()
        tagging = getattr(canvas, "tagging", None)
        if self.outline_level is not None:
            self._bookmark(canvas, x, y)
        if tagging is None or self.tag_node is None or self.tag_has_links:
            super().drawOn(canvas, x, y, _sW)
            return
        canvas.addLiteral(canvas.mark(self.tag_node))
        super().drawOn(canvas, x, y, _sW)
        canvas.addLiteral(END)

    def drawPara(self, debug: int = 0) -> None:
        """ReportLab's drawing of the lines, done by :mod:`.lines` where it can."""
        if debug or not draw_paragraph(self):
            super().drawPara(debug)

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
        text.tag_canvas = canvas
        text.open_run(node.add("Span"))

        def record(key: Any, event: str) -> None:
            if event == "start":
                # Called after the link's first run is written: mark from just before it.
                at = len(text._code) - 1
                link = self._link_node(key)
                run = text.tag_run
                if run is not None and text.run_is_empty(at):
                    # Nothing of the paragraph's own before the link: its MCID is the link's.
                    text._code[run[0]] = canvas.tagging.retarget(run[1], run[2], link)
                else:
                    text._code.insert(at, f"{END} {canvas.mark(link)}")
                text.tag_run = None
            else:
                text._code.append(END)
                text.open_run(node.add("Span"))

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
