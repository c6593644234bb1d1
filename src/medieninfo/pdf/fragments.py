"""A paragraph's fragments for plain text, made without ReportLab's markup parser.

ReportLab's ``Paragraph`` parses its text as markup with a new ``ParaParser`` (Python's
``HTMLParser`` underneath) for every paragraph: ~25 µs each, most of it setting up the
parser, for what is, in nearly every paragraph of a release (headline, date, the body's
paragraphs without bold or links), one fragment holding the whole text in the style's
font. For such a text (no ``<`` and no ``&`` in the markup: nothing a tag or an entity
could change), :func:`plain_fragments` gives the same fragment: a copy of the one
ReportLab made for a probe text in that style, with the text put in, after the same
cleaning (``cleanBlockQuotedText``) and text transform. Anything else is left to the
parser; a test compares the two on random texts in every style.
"""

from __future__ import annotations

from typing import Any

#: Probe fragments by style, with the fonts the style's name mapped to then. A process
#: has a few dozen styles (layout caches them); a full table is simply dropped.
_PROBES: dict[Any, tuple[tuple[Any, ...], Any]] = {}
_PROBES_KEPT = 64


def is_plain(markup: str) -> bool:
    """Whether ReportLab's parser would read ``markup`` as one run of text: no tag, no
    entity (the layout escapes ``&``, ``<`` and ``>`` in every text it writes)."""
    return "<" not in markup and "&" not in markup


def plain_fragments(text: str, style: Any) -> tuple[str, list[Any]]:
    """The text ``Paragraph(text, style)`` keeps and its fragments, for a ``text`` that
    :func:`is_plain`; to be passed as ``Paragraph(cleaned, style, frags=fragments)``."""
    from reportlab.lib.fonts import ps2tt
    from reportlab.platypus import paragraph

    cleaned = paragraph.cleanBlockQuotedText(text)
    if not cleaned:
        return cleaned, []  # the parser makes no fragment for no text
    # The font ReportLab's parser picks goes through the family mapping (fonts.py adds it
    # per letterhead): a probe is kept only while the style's font still maps the same way.
    mapping = ps2tt(style.fontName)
    kept = _PROBES.get(style)
    if kept is None or kept[0] != mapping:
        if len(_PROBES) >= _PROBES_KEPT:
            _PROBES.clear()
        kept = _PROBES[style] = (mapping, paragraph.Paragraph("x", style).frags[0])
    probe = kept[1]
    fragment = probe.clone()
    # The lists a parsed fragment starts with (its links, its lines) are its own.
    for name, value in probe.__dict__.items():
        if type(value) is list:
            setattr(fragment, name, list(value))
    fragment.text = cleaned
    fragments = [fragment]
    paragraph.textTransformFrags(fragments, style)
    return cleaned, fragments
