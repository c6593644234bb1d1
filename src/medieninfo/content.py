"""Model stage: the release body, parsed from Markdown into a small tree of blocks and spans.

Only what a press release needs survives: paragraphs, subheadings, lists, bold, italic,
links, sub- and superscript, line breaks. Raw HTML and character entities are off, so
whatever the user types is text (``AT&T``, ``a < b``, ``<script>``, ``&amp;`` all print as
typed). Images keep only their alternative text: the body never makes medieninfo read a file.
Links keep their target only for ``http``, ``https`` and ``mailto``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

SAFE_SCHEMES = ("http://", "https://", "mailto:")


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


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    line: int | None = None


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


Block = Paragraph | Heading | ListBlock


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.subscript import sub_plugin
    from mdit_py_plugins.superscript import superscript_plugin

    md = MarkdownIt("commonmark", {"html": False}).use(sub_plugin).use(superscript_plugin)
    # Entities would turn a typed "&amp;" into "&": press officers mean what they type.
    md.disable("entity")
    return md


def parse_body(markdown: str, *, first_line: int = 1) -> list[Block]:
    """Parse the Markdown body; ``first_line`` is the body's line in the release file."""
    tokens = _parser().parse(markdown)
    blocks, _ = _blocks(tokens, 0, first_line - 1, closing=None)
    return blocks


def _blocks(tokens: list[Any], index: int, offset: int, closing: str | None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        line = token.map[0] + 1 + offset if token.map else None
        if closing is not None and kind == closing:
            return blocks, index + 1
        if kind == "heading_open":
            level = max(2, min(3, int(token.tag[1])))
            blocks.append(Heading(level, _spans(tokens[index + 1]), line))
            index += 3
        elif kind == "paragraph_open":
            spans = _spans(tokens[index + 1])
            if spans:
                blocks.append(Paragraph(spans, line))
            index += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1)) if ordered else 1
            items, index = _list_items(tokens, index + 1, offset, kind.replace("_open", "_close"))
            blocks.append(ListBlock(ordered, start, tuple(items), line))
        elif kind in ("code_block", "fence"):
            text = token.content.rstrip("\n")
            spans = []
            for number, code_line in enumerate(text.split("\n")):
                if number:
                    spans.append(Span("\n"))
                spans.append(Span(code_line, code=True))
            blocks.append(Paragraph(tuple(spans), line))
            index += 1
        elif kind == "blockquote_open":
            inner, index = _blocks(tokens, index + 1, offset, "blockquote_close")
            blocks.extend(_italicise(block) for block in inner)
        else:
            # hr, html_block (inert with html off) and closing tokens of skipped containers.
            index += 1
    return blocks, index


def _list_items(tokens: list[Any], index: int, offset: int, closing: str) -> tuple[list[tuple[Block, ...]], int]:
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


def _spans(inline: Any) -> tuple[Span, ...]:
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
            if alt:
                spans.append(Span(alt, italic=True))
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            links.append(href if href.lower().startswith(SAFE_SCHEMES) else None)
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
        if merged and span.text != "\n" and merged[-1].text != "\n" and (
            replace(merged[-1], text="") == replace(span, text="")
        ):
            merged[-1] = replace(merged[-1], text=merged[-1].text + span.text)
        else:
            merged.append(span)
    return tuple(merged)


def plain_text(spans: tuple[Span, ...]) -> str:
    return "".join(span.text for span in spans)
