"""Model stage: apply typographic refinement to a parsed release, once, in one place.

:mod:`medieninfo.typography` knows the rules; this module knows the model: it hands each
paragraph's runs to :func:`~medieninfo.typography.refine` together, so quotes pair up across
bold, italic and link boundaries, and leaves code spans and line breaks alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..model.content import Block, Figure, Heading, ListBlock, Paragraph, Span
from ..model.release import Release
from .typography import refine


def refine_release(release: Release) -> Release:
    """The release with headline, subtitle and contact refined (body: see refine_blocks)."""
    if not release.typography:
        return release

    def refined(text: str | None) -> str | None:
        return refine([text], release.lang)[0] if text else text

    return replace(
        release,
        headline=refined(release.headline) or release.headline,
        subtitle=refined(release.subtitle),
        contact=refined(release.contact),
    )


def refine_blocks(blocks: Sequence[Block], *, lang: str, enabled: bool = True) -> list[Block]:
    if not enabled:
        return list(blocks)
    return [_refine_block(block, lang) for block in blocks]


def _refine_block(block: Block, lang: str) -> Block:
    if isinstance(block, ListBlock):
        items = tuple(tuple(_refine_block(inner, lang) for inner in item) for item in block.items)
        return replace(block, items=items)
    if isinstance(block, Figure):
        # Caption, credit and rights are text like the body's; the file name is not.
        def refined(text: str | None) -> str | None:
            return refine([text], lang)[0] if text else text

        return replace(
            block,
            caption=refined(block.caption),
            credit=refined(block.credit),
            rights=refined(block.rights),
        )
    assert isinstance(block, Paragraph | Heading)
    return replace(block, spans=_refine_spans(block.spans, lang))


def _refine_spans(spans: tuple[Span, ...], lang: str) -> tuple[Span, ...]:
    indices = [i for i, span in enumerate(spans) if not span.code and span.text != "\n"]
    refined = refine([spans[i].text for i in indices], lang)
    result = list(spans)
    for index, text in zip(indices, refined, strict=True):
        result[index] = spans[index].with_text(text)
    return tuple(result)
