"""Plain-text stage: a :class:`~medieninfo.text.release_text.ReleaseText` → UTF-8 text.

For the body of the e-mail and for wire services: the lines above the body as the PDF has
them (date, number, Sperrfrist), the headline and subtitle, the paragraphs, subheadings
(underlined), list items (``–`` or ``1.``, hanging indent), links as ``text <url>``,
sub- and superscript digits as Unicode has them (CO₂, m²), the
contact line, and the sender block from the letterhead below a ``-- `` signature line.
Typographic refinement is kept (quotes, dashes, no-break spaces); nothing is hyphenated and
soft hyphens are removed. Lines are wrapped at :data:`WIDTH` characters at spaces only, so a
URL or a hyphenated word is never broken; a URL longer than a line stands on its own.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence

from ..model.content import SAFE_SCHEMES, Block, Figure, Heading, ListBlock, Paragraph, Span
from ..text.release_text import ReleaseText

#: Characters per line: what mail clients and RFC 3676 expect of a plain-text body.
WIDTH = 72
SOFT_HYPHEN = "\u00ad"
#: Lists indent their text by the label's width; deeper levels by this much more.
#: Sub- and superscript as Unicode has them (CO₂, m²), for text made only of these.
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUP = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SCRIPTABLE = frozenset("0123456789+-=()")
#: Subheadings are underlined, setext style: ``##`` with ``-``, ``###`` with ``~``.
_UNDERLINE = {1: "=", 2: "-", 3: "~"}


def to_plain(text: ReleaseText) -> str:
    """The release as plain text, ending in a newline."""
    release = text.release
    out: list[str] = []
    top = [text.date_line + (f", Nr. {release.number}" if release.number is not None else "")]
    if text.embargo_line:
        top.append(text.embargo_line)
    out.append("\n".join(line for item in top for line in _wrap(item)))
    out.append(_underlined(release.headline, "="))
    if release.subtitle:
        out.append("\n".join(_wrap(release.subtitle)))
    out.extend(_blocks(text.whole_blocks(), indent="", lang=release.lang))
    if text.contact_line:
        out.append("\n".join(_wrap(text.contact_line)))
    out.append("\n".join(_sender(text)))
    return _clean("\n\n".join(out)) + "\n"


def _clean(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "")


def _blocks(blocks: Sequence[Block], *, indent: str, lang: str = "de-DE") -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading):
            yield _underlined(inline(block.spans), _UNDERLINE.get(block.level, "~"), indent)
        elif isinstance(block, Paragraph):
            yield "\n".join(_wrap(inline(block.spans), indent=indent))
        elif isinstance(block, ListBlock):
            yield "\n".join(_list(block, indent=indent))
        elif isinstance(block, Figure) and block.photo is not None:
            yield "\n".join(_figure(block, indent=indent, lang=lang))


def _figure(block: Figure, *, indent: str, lang: str) -> Iterator[str]:
    """A photo in plain text: what it shows in brackets, then its credit line (the photo
    itself goes with the mail's web page and PDF)."""
    from ..model.photo import credit_line

    shown = block.caption or block.alt
    if shown:
        yield from _wrap(f"[{shown}]", indent=indent)
    if credit := credit_line(block, lang):
        yield from _wrap(credit, indent=indent)


def _list(block: ListBlock, *, indent: str) -> Iterator[str]:
    width = max(len(f"{block.start + len(block.items) - 1}.") if block.ordered else 1, 1) + 1
    for number, item in enumerate(block.items, start=block.start):
        label = (f"{number}." if block.ordered else "–").ljust(width)
        inner = indent + " " * width
        first = True
        for part in _blocks(item, indent=inner):
            yield (indent + label + part[len(inner) :]) if first else part
            first = False


def _underlined(text: str, mark: str, indent: str = "") -> str:
    lines = _wrap(text, indent=indent)
    longest = max(len(line) for line in lines) - len(indent)
    return "\n".join([*lines, indent + mark * max(longest, 1)])


def _wrap(text: str, *, indent: str = "") -> list[str]:
    """Wrapped at spaces only (not at hyphens, not inside a word or URL); a hard line break
    in the text stays one."""
    wrapper = textwrap.TextWrapper(
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    lines: list[str] = []
    for line in _clean(text).split("\n"):
        lines.extend(wrapper.wrap(line) or [indent.rstrip()])
    return lines


def inline(spans: Sequence[Span]) -> str:
    """Spans as text; a link as ``text <url>`` unless the text already shows the address."""
    parts: list[str] = []
    index = 0
    while index < len(spans):
        span = spans[index]
        if span.text == "\n":
            parts.append("\n")
            index += 1
            continue
        link = span.link if span.link and span.link.lower().startswith(SAFE_SCHEMES) else None
        shown = [_scripted(span)]
        index += 1
        while link and index < len(spans) and spans[index].link == span.link:
            shown.append(_scripted(spans[index]))
            index += 1
        label = "".join(shown)
        parts.append(with_address(label, link) if link else label)
    return "".join(parts)


def _scripted(span: Span) -> str:
    """A sub- or superscript span in Unicode's small digits where it has them all; else as
    typed (``CO~2~`` → ``CO₂``, ``m^2^`` → ``m²``, ``x^n^`` → ``xn``)."""
    if (span.sub or span.sup) and span.text and set(span.text) <= _SCRIPTABLE:
        return span.text.translate(_SUB if span.sub else _SUP)
    return span.text


def with_address(label: str, link: str) -> str:
    """``label <link>``, or the label alone if it already shows the address."""
    address = link.split(":", 1)[1].removeprefix("//").rstrip("/") if ":" in link else link
    if address and address.lower() in label.lower():
        return label
    return f"{label} <{link}>"


def _sender(text: ReleaseText) -> list[str]:
    """The letterhead's sender block, as a signature."""
    letterhead = text.letterhead
    lines = ["-- ", letterhead.organisation, letterhead.title]
    for line in letterhead.sidebar:
        lines.extend(_wrap(with_address(line.text, line.link) if line.link else line.text))
    return lines
