"""Model stage: the release body, parsed from Markdown into a small tree of blocks and spans.

Only what a press release needs survives: paragraphs, subheadings, lists, bold, italic,
links, sub- and superscript, line breaks. Raw HTML and character entities are off, so
whatever the user types is text (``AT&T``, ``a < b``, ``<script>``, ``&amp;`` all print as
typed). An image (``![alt](foto.jpg)``) becomes a :class:`Figure` block after the paragraph
it stands in: only a reference here; :mod:`.figures` checks the file (in the release's
folder, never a URL) and reads its caption and credit.
Links keep their target only for ``http``, ``https`` and ``mailto``; bare addresses typed in
the text (``https://…``, ``www.…``, ``dortmund.de/presse``, ``info@stadt.de``) become links
too (markdown-it's linkify, with ``linkify-it-py``), under the same rule.

Subheadings keep their levels in order: the headline is the first level, ``##`` the second,
``###`` the third; a ``###`` with no ``##`` before it would skip a level, which PDF/UA-1
(7.4.2) forbids and a screen reader's heading navigation trips over, so it is an error at its
line rather than a silent change of what the press officer typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..errors import InputError

if TYPE_CHECKING:
    from .photofile import Photo

SAFE_SCHEMES = ("http://", "https://", "mailto:")
#: A longer address stays text, not a link: browsers and mail clients cut URLs near 2,000
#: characters, and the PDF repeats a link's address for every line it spans, so a link
#: of unbounded length would make the file grow with the square of the text.
MAX_URL_CHARS = 2_048
#: Paragraphs longer than this (in characters) are laid out as several consecutive pieces:
#: ReportLab's paragraph splitting is quadratic in the length of one paragraph (a 300 KB
#: paragraph took 25 s), and 3000 characters is about 40 lines of the text column.
CHUNK_CHARS = 3000
#: Lists nested deeper than this are flattened into their parent: every level indents the
#: text column by 5 mm, and a press release never needs more than a few levels.
MAX_LIST_DEPTH = 5
#: markdown-it's nesting limit (a list level counts two: list and item). Deeper input is
#: refused rather than cut off, which is what markdown-it does on its own.
MAX_MARKDOWN_NESTING = 100
#: Links, autolinks and images in one body. markdown-it looks for the end of a link's text
#: from every ``[`` to the end of the paragraph, which is quadratic when they do not close
#: (50,000 took 3.4 s, 100,000 9.6 s), and every link costs ReportLab a run, an annotation
#: and a structure element (750 KB of autolinks took 41 s and 509 MiB). A press release has
#: a few dozen links.
MAX_LINKS = 10_000
#: What may start a link: ``[`` (also of an image) or ``<scheme:`` (an autolink).
_LINK_START = re.compile(r"\[|<[A-Za-z][A-Za-z0-9+.\-]{1,31}:")


@dataclass(frozen=True)
class Span:
    """A run of text with one set of attributes. ``text == "\\n"`` is a hard line break."""

    text: str
    bold: bool = False
    italic: bool = False
    sub: bool = False
    sup: bool = False
    code: bool = False
    link: str | None = None

    def with_text(self, text: str) -> Span:
        """This span with other text: ``dataclasses.replace(self, text=text)``, without its
        look-up of every field (a body makes some hundred of these per render)."""
        return Span(text, self.bold, self.italic, self.sub, self.sup, self.code, self.link)

    def same_style(self, other: Span) -> bool:
        """Whether ``other`` differs from this span in its text alone."""
        return (
            self.bold == other.bold
            and self.italic == other.italic
            and self.sub == other.sub
            and self.sup == other.sup
            and self.code == other.code
            and self.link == other.link
        )


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    line: int | None = None
    #: True when the next block is the rest of this paragraph (see :func:`split_long_paragraphs`):
    #: lay it out without space after, so that the pieces read as one paragraph.
    continues: bool = False


@dataclass(frozen=True)
class Heading:
    level: int
    spans: tuple[Span, ...]
    line: int | None = None


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]
    line: int | None = None


@dataclass(frozen=True)
class Figure:
    """A photo with its caption and credit: a reference from the body (``![alt](src)``) or an
    entry of the release's ``photos`` list. ``photo`` is None until :func:`.figures.resolve`
    has checked the file and filled in what the release leaves to the file's metadata.

    The other outputs (web page, text, mail) read this block as it is: ``alt`` is the
    alternative text, ``caption`` the caption, :func:`.photo.credit_line` gives the credit
    and rights with their label ("Foto: …"), ``photo.path`` and ``photo.data`` the file.
    """

    src: str
    alt: str = ""
    line: int | None = None
    column: int | None = None
    caption: str | None = None
    credit: str | None = None
    rights: str | None = None
    #: A purely decorative photo has no alternative text and is no Figure in the structure.
    decorative: bool = False
    photo: Photo | None = field(default=None, compare=False, repr=False)


Block = Paragraph | Heading | ListBlock | Figure


#: Text that may hold a bare URL or e-mail address. Only such a body is parsed with linkify:
#: linkify-it compiles its patterns on first use, ~15 ms of a cold render that most releases
#: would pay for nothing. A false alarm (``2030.In``) costs that time, never a wrong link.
_MAYBE_LINK = re.compile(r"://|www\.|@|\w\.[^\W\d_]{2}")


@cache
def _parser(linkify: bool = False) -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.subscript import sub_plugin
    from mdit_py_plugins.superscript import superscript_plugin

    options = {"html": False, "maxNesting": MAX_MARKDOWN_NESTING, "linkify": linkify}
    md = MarkdownIt("commonmark", options)
    md.use(sub_plugin).use(superscript_plugin)
    if linkify:
        md.enable("linkify")
    # Entities would turn a typed "&amp;" into "&": press officers mean what they type.
    md.disable("entity")
    # With html off these two never match, but markdown-it still tries them on every line
    # and inline position (and as terminators of paragraphs): off, they cost nothing.
    md.disable(["html_block", "html_inline"])
    return md


def parse_body(
    markdown: str,
    *,
    first_line: int = 1,
    source: str = "<body>",
    first_column: int | None = None,
) -> list[Block]:
    """Parse the Markdown body; ``first_line`` is the body's line in ``source``,
    ``first_column`` (when known) the column its lines start at (for the columns of
    subheadings and photos in messages)."""
    _check_links(markdown, first_line=first_line, source=source)
    tokens = _parser(_MAYBE_LINK.search(markdown) is not None).parse(markdown)
    # markdown-it silently drops everything below its nesting limit: refuse instead.
    too_deep = next((t for t in tokens if t.level >= MAX_MARKDOWN_NESTING - 1), None)
    if too_deep is not None:
        line = too_deep.map[0] + first_line if too_deep.map else None
        raise InputError.single(
            source,
            "body: lists or quotes nested too deeply; the text from here on would be lost, "
            "so indent less",
            line,
        )
    blocks, _ = _blocks(tokens, 0, first_line - 1, closing=None)
    _check_heading_levels(blocks, source, markdown, first_line, first_column)
    if "![" in markdown:
        blocks = _place_figures(blocks, markdown.split("\n"), first_line, first_column, source)
    return split_long_paragraphs(_limit_list_depth(blocks, 1))


def _place_figures(
    blocks: list[Block], lines: list[str], first_line: int, first_column: int | None, source: str
) -> list[Block]:
    """Give each figure the column of its ``![`` (markdown-it knows only block lines), and
    refuse a photo inside a list, where it has no place of its own."""
    seen: dict[int, int] = {}

    def locate(figure: Figure) -> Figure:
        if figure.line is None:
            return figure
        index = figure.line - first_line
        for number in range(max(index, 0), len(lines)):
            start = seen.get(number, 0)
            found = lines[number].find(f"]({figure.src}", start)
            if found < 0:
                found = lines[number].find(f"](<{figure.src}>", start)
            if found >= 0:
                column = lines[number].rfind("![", 0, found)
                seen[number] = found + 1
                at = first_column + column if first_column is not None else None
                return replace(figure, line=number + first_line, column=at)
        return figure

    def nested(block: Block) -> Figure | None:
        if isinstance(block, ListBlock):
            for item in block.items:
                for inner in item:
                    if isinstance(inner, Figure):
                        return inner
                    if (found := nested(inner)) is not None:
                        return found
        return None

    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Figure):
            out.append(locate(block))
        elif (figure := nested(block)) is not None:
            figure = locate(figure)
            raise InputError.single(
                source,
                f"body: the photo '{figure.src}' stands in a list; give it a paragraph of its own",
                figure.line,
                figure.column,
            )
        else:
            out.append(block)
    return out


def _check_heading_levels(
    blocks: list[Block], source: str, markdown: str, first_line: int, first_column: int | None
) -> None:
    """Refuse a subheading that skips a level (H1 headline → ``###``), at its ``#``."""
    level = 1  # the headline

    def column(line: int | None) -> int | None:
        if line is None or first_column is None:
            return None
        lines = markdown.splitlines()
        index = line - first_line
        if not 0 <= index < len(lines) or "#" not in lines[index]:
            return None
        return first_column + lines[index].index("#")

    def walk(blocks: tuple[Block, ...] | list[Block]) -> None:
        nonlocal level
        for block in blocks:
            if isinstance(block, ListBlock):
                for item in block.items:
                    walk(item)
            elif isinstance(block, Heading):
                if block.level > level + 1:
                    raise InputError.single(
                        source,
                        f"body: this {'#' * block.level} subheading skips a level: the "
                        f"headline is the first level, so the first subheading must be "
                        f"{'#' * (level + 1)}; write {'#' * (level + 1)} here",
                        block.line,
                        column(block.line),
                    )
                level = block.level

    walk(blocks)


def _check_links(markdown: str, *, first_line: int, source: str) -> None:
    """Refuse more links than markdown-it and ReportLab lay out briskly (:data:`MAX_LINKS`)."""
    for count, match in enumerate(_LINK_START.finditer(markdown), start=1):
        if count > MAX_LINKS:
            raise InputError.single(
                source,
                f"body: more than {MAX_LINKS:,} links and images ('[' or '<https:'); "
                "use fewer or split the release",
                first_line + markdown.count("\n", 0, match.start()),
            )


def _limit_list_depth(blocks: list[Block], depth: int) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, ListBlock):
            out.append(block)
        elif depth > MAX_LIST_DEPTH:
            # Too deep to indent once more: keep every item's text, as plain blocks.
            for item in block.items:
                out.extend(_limit_list_depth(list(item), depth))
        else:
            items = tuple(tuple(_limit_list_depth(list(item), depth + 1)) for item in block.items)
            out.append(replace(block, items=items))
    return out


def split_long_paragraphs(blocks: list[Block], limit: int = CHUNK_CHARS) -> list[Block]:
    """Cut every paragraph longer than ``limit`` characters into consecutive pieces.

    A pure function on blocks, also inside lists. Cuts fall on a hard line break, else at
    the end of a sentence, else at a space, never inside a word or at a no-break space; the
    space at a cut is dropped (the pieces stand on separate lines anyway). Every piece but
    the last has ``continues=True``. A paragraph without any space stays whole.
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and len(plain_text(block.spans)) > limit:
            pieces = [
                Paragraph(spans, block.line, continues=True)
                for spans in _pieces(block.spans, limit)
            ]
            pieces[-1] = replace(pieces[-1], continues=block.continues)
            out.extend(pieces)
        elif isinstance(block, ListBlock):
            items = tuple(tuple(split_long_paragraphs(list(item), limit)) for item in block.items)
            out.append(replace(block, items=items))
        else:
            out.append(block)
    return out


#: Breakable white space only: U+00A0 and U+202F hold words together and must never be cut.
# Pattern sources, compiled (and cached) by re on first use: only a paragraph longer than
# CHUNK_CHARS is split, and most bodies have none.
_SPACE = r"[ \t]+"
_SPACE_AT_END = r"[ \t]+$"
_SENTENCE_END = r"[.!?…:;][\"'»«“”‘’)\]]*[ \t]+"


def _pieces(spans: tuple[Span, ...], limit: int) -> list[tuple[Span, ...]]:
    pieces: list[tuple[Span, ...]] = []
    current: list[Span] = []
    size = 0

    def close() -> None:
        nonlocal current, size
        # Drop a piece of breakable white space only; U+00A0 and U+202F are content.
        if any(span.text.strip(" \t\n") for span in current):
            pieces.append(tuple(current))
        current, size = [], 0

    for span in spans:
        if span.text == "\n":
            # A hard break in the second half of a piece is the best place to cut.
            if size >= limit // 2:
                close()
            elif current:
                current.append(span)
                size += 1
            continue
        text = span.text
        while size + len(text) > limit:
            cut = _cut(text, limit - size, limit)
            if (cut is None or cut[0] > limit - size) and _ends_in_space(current):
                # The seam before this span is a better place than a space beyond the limit.
                current[-1] = current[-1].with_text(re.sub(_SPACE_AT_END, "", current[-1].text))
                close()
                continue
            if cut is None:
                break
            head, text = text[: cut[0]], text[cut[1] :]
            if head:
                current.append(span.with_text(head))
            close()
        if text:
            current.append(span.with_text(text))
            size += len(text)
    close()
    return pieces or [spans]


def _cut(text: str, room: int, limit: int) -> tuple[int, int] | None:
    """Where to cut ``text`` so that about ``room`` characters stay in the current piece.

    Returns the start and end of the white space to drop, or None when ``text`` has none.
    """
    room = max(room, 0)
    spaces_re = re.compile(_SPACE)  # from re's cache after the first call
    sentence = None
    for match in re.compile(_SENTENCE_END).finditer(text, max(0, room - limit // 2), room + 1):
        sentence = match
    if sentence is not None:
        space = spaces_re.search(text, sentence.start())
        assert space is not None
        return space.start(), space.end()
    spaces = list(spaces_re.finditer(text, 0, room + 1))
    if spaces:
        return spaces[-1].start(), spaces[-1].end()
    later = spaces_re.search(text, room)
    if later is None:
        return None  # no space at all: keep the text whole and cut in a later span
    return later.start(), later.end()


def _ends_in_space(spans: list[Span]) -> bool:
    return bool(spans) and re.search(_SPACE_AT_END, spans[-1].text) is not None


def _blocks(
    tokens: list[Any], index: int, offset: int, closing: str | None
) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        line = token.map[0] + 1 + offset if token.map else None
        if closing is not None and kind == closing:
            return blocks, index + 1
        if kind == "heading_open":
            level = max(2, min(3, int(token.tag[1])))
            figures: list[Figure] = []
            blocks.append(Heading(level, _spans(tokens[index + 1], figures, line), line))
            blocks.extend(figures)
            index += 3
        elif kind == "paragraph_open":
            figures = []
            spans = _spans(tokens[index + 1], figures, line)
            if spans:
                blocks.append(Paragraph(spans, line))
            # A photo follows the paragraph it is named in, as a block of its own.
            blocks.extend(figures)
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1)) if ordered else 1
            items, index = _list_items(tokens, index + 1, offset, kind.replace("_open", "_close"))
            # A list of nothing but empty items ("-" alone) has no text to show, and ReportLab
            # cannot lay out a list without items.
            if any(items):
                blocks.append(ListBlock(ordered, start, tuple(items), line))
        elif kind in ("code_block", "fence"):
            text = token.content.rstrip("\n")
            code: list[Span] = []
            for number, code_line in enumerate(text.split("\n")):
                if number:
                    code.append(Span("\n"))
                code.append(Span(code_line, code=True))
            blocks.append(Paragraph(tuple(code), line))
            index += 1
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, offset, "blockquote_close")
            blocks.extend(_italicise(block) for block in inner)
        else:
            # hr, html_block (inert with html off) and closing tokens of skipped containers.
            index += 1
    return blocks, index


def _list_items(
    tokens: list[Any], index: int, offset: int, closing: str
) -> tuple[list[tuple[Block, ...]], int]:
    items: list[tuple[Block, ...]] = []
    while index < len(tokens) and tokens[index].type != closing:
        if tokens[index].type == "list_item_open":
            inner, index = _blocks(tokens, index + 1, offset, "list_item_close")
            items.append(tuple(inner))
        else:
            index += 1
    return items, index + 1


def _italicise(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return replace(block, spans=tuple(replace(span, italic=True) for span in block.spans))
    return block


def _spans(
    inline: Any, figures: list[Figure] | None = None, line: int | None = None
) -> tuple[Span, ...]:
    """The runs of an inline token; its images go to ``figures`` (none: kept as alt text)."""
    spans: list[Span] = []
    state = {"bold": 0, "italic": 0, "sub": 0, "sup": 0}
    links: list[str | None] = []
    for child in inline.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            if child.content:
                spans.append(
                    Span(
                        child.content,
                        bold=state["bold"] > 0,
                        italic=state["italic"] > 0,
                        sub=state["sub"] > 0,
                        sup=state["sup"] > 0,
                        code=kind == "code_inline",
                        link=links[-1] if links else None,
                    )
                )
        elif kind == "softbreak":
            spans.append(Span(" ", bold=state["bold"] > 0, italic=state["italic"] > 0))
        elif kind == "hardbreak":
            spans.append(Span("\n"))
        elif kind == "image":
            alt = "".join(grandchild.content for grandchild in child.children or ())
            if figures is not None:
                # markdown-it percent-encodes the address; the file name is what was typed.
                src = unquote(str(child.attrs.get("src", "")))
                # A Markdown title, ![alt](foto.jpg "caption"), is the photo's caption.
                title = " ".join(str(child.attrs.get("title") or "").split()) or None
                figures.append(Figure(src, " ".join(alt.split()), line, caption=title))
            elif alt:
                spans.append(Span(alt, italic=True))
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            usable = href.lower().startswith(SAFE_SCHEMES) and len(href) <= MAX_URL_CHARS
            links.append(href if usable else None)
        elif kind == "link_close":
            if links:
                links.pop()
        elif kind.endswith("_open") or kind.endswith("_close"):
            name = {"strong": "bold", "em": "italic", "sub": "sub", "sup": "sup"}.get(
                kind.rsplit("_", 1)[0]
            )
            if name:
                state[name] += 1 if kind.endswith("_open") else -1
    return _merge(spans)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    """Join neighbours with equal attributes, so that words are not split into runs."""
    merged: list[Span] = []
    for span in spans:
        if merged and span.text != "\n" and merged[-1].text != "\n" and merged[-1].same_style(span):
            merged[-1] = merged[-1].with_text(merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def plain_text(spans: tuple[Span, ...]) -> str:
    return "".join(span.text for span in spans)
