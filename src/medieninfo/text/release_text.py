"""Text stage: the release as every output reads it, in one model.

:class:`ReleaseText` is what the PDF, the web page, the plain text and the e-mail draft are
made from: the release with headline, subtitle and contact refined, the body as refined
blocks, the letterhead, and the lines printed around the body (date, number, Sperrfrist,
contact) in the words the PDF prints them. :func:`medieninfo.render.compose` builds it.
Pure text: no ReportLab, no template engine, so the outputs that are not the PDF never load
the PDF's layout engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from ..model.content import Block, Heading, ListBlock, Paragraph, Span
from ..model.labels import Labels, labels_for
from ..model.letterhead import Letterhead
from ..model.release import Release


def format_date(value: dt.date, lang: str = "de") -> str:
    """A date as the PDF prints it in ``lang``: 28.4.2022 in German."""
    return labels_for(lang).date(value)


def format_embargo(value: dt.datetime, lang: str = "de") -> str:
    """The Sperrfrist's date and time as the PDF prints them: 28.4.2022, 12:00 Uhr."""
    return _moment(labels_for(lang), value)


def _moment(labels: Labels, value: dt.datetime) -> str:
    return f"{labels.date(value)}, {labels.time(value.hour, value.minute)}"


@dataclass(frozen=True)
class ReleaseText:
    """A release ready for any output. ``blocks`` are as the PDF lays them out (a very long
    paragraph in pieces, see :func:`~medieninfo.model.content.split_long_paragraphs`);
    :meth:`whole_blocks` joins those pieces again for outputs that have no such limit."""

    release: Release
    letterhead: Letterhead
    blocks: tuple[Block, ...]

    @cached_property
    def labels(self) -> Labels:
        """The printed words in the release's language, the letterhead's overrides applied
        (the same the PDF prints: :mod:`medieninfo.model.labels`)."""
        return labels_for(self.release.lang, self.letterhead.labels)

    @property
    def date_line(self) -> str:
        return self.labels.date(self.release.date)

    @property
    def number_line(self) -> str | None:
        return f"{self.release.number}." if self.release.number is not None else None

    @property
    def embargo(self) -> str | None:
        """``28.4.2022, 12:00 Uhr``, or None without a Sperrfrist."""
        embargo = self.release.embargo
        return _moment(self.labels, embargo) if embargo is not None else None

    @property
    def embargo_line(self) -> str | None:
        """``Sperrfrist: 28.4.2022, 12:00 Uhr``, as the PDF prints it."""
        embargo = self.release.embargo
        return self.labels.embargo(embargo) if embargo is not None else None

    @property
    def contact_line(self) -> str | None:
        contact = self.release.contact
        return self.labels.contact(contact) if contact else None

    def whole_blocks(self) -> tuple[Block, ...]:
        return join_pieces(self.blocks)


def join_pieces(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Join the pieces of every cut paragraph (``continues``) into one paragraph, also
    inside lists. The cut dropped the white space between the pieces; a space restores it.
    Linear in the number of spans, however many pieces a paragraph has."""
    out: list[Block] = []
    pending: list[Span] = []  # the spans of the paragraph being joined
    first: Paragraph | None = None

    def close() -> None:
        nonlocal first
        if first is not None:
            out.append(Paragraph(tuple(pending), first.line))
            pending.clear()
            first = None

    for block in blocks:
        if isinstance(block, Paragraph) and (first is not None or block.continues):
            if first is None:
                first = block
            else:
                pending.append(Span(" "))
            pending.extend(block.spans)
            if not block.continues:
                close()
            continue
        close()
        if isinstance(block, ListBlock):
            block = replace(block, items=tuple(join_pieces(item) for item in block.items))
        out.append(block)
    close()
    return tuple(out)


def walk(blocks: Sequence[Block]) -> Iterator[Paragraph | Heading]:
    """Every paragraph and heading in reading order, list items included (photos are not
    text: :class:`~medieninfo.model.content.Figure` blocks are left out)."""
    for block in blocks:
        if isinstance(block, ListBlock):
            for item in block.items:
                yield from walk(item)
        elif isinstance(block, Paragraph | Heading):
            yield block


def plain(spans: Sequence[Span]) -> str:
    """The spans' text, a hard line break as a newline."""
    return "".join(span.text for span in spans)
