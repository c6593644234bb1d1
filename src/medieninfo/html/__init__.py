"""HTML stage: a :class:`~medieninfo.text.release_text.ReleaseText` → one web page (UTF-8).

The page is self-contained (stylesheet inline, logo as a ``data:`` URI) and semantic:
``<html lang>``, ``<title>`` the headline, a ``<header>`` with the letterhead (logo with its
alternative text, organisation, document title, the sender block in ``<address>``), and in
``<main>`` an ``<article>`` with date, number and Sperrfrist (as ``<time>``), ``<h1>``,
subtitle, the body's headings, paragraphs and lists, and the contact line. schema.org
``NewsArticle`` JSON-LD describes it for search engines. German typography comes refined as
in the PDF; nothing is hyphenated here (the stylesheet's ``hyphens: auto`` lets the browser
do it for the page's language).

Everything the user typed reaches the page through Jinja2's autoescaping or
:func:`markupsafe.escape`; links keep only the PDF's schemes (http, https, mailto). Jinja2 is
imported when the first page is made, so the other outputs never pay for it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .. import CREATOR
from ..model.content import SAFE_SCHEMES, Span
from ..text.release_text import ReleaseText

TEMPLATES = Path(__file__).parent / "templates"
#: CSS pixels per millimetre (CSS fixes 96 px to the inch).
_PX_PER_MM = 96 / 25.4


def to_html(text: ReleaseText) -> str:
    """The release as one HTML page."""
    release, letterhead = text.release, text.letterhead
    environment = _environment()
    from ..model.content import Figure

    style = environment.get_template("style.css").render(
        accent=letterhead.accent,
        text=letterhead.text_colour,
        # A page without photos keeps the stylesheet it had before there were photos.
        photos=any(isinstance(block, Figure) for block in text.blocks),
    )
    from markupsafe import Markup

    return environment.get_template("release.html").render(
        text=text,
        release=release,
        letterhead=letterhead,
        blocks=text.whole_blocks(),
        logo=_logo(text),
        style=Markup(style),
        json_ld=Markup(json_ld(text)),
        generator=CREATOR,
    )


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is text unless it is Markup made in this module
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["inline"] = inline
    environment.filters["safe_link"] = safe_link
    environment.filters["photo"] = photo
    return environment


def photo(figure: Any, lang: str) -> dict[str, Any] | None:
    """A photo as ``<img>`` needs it: the file as a ``data:`` URI (the page stays one
    file; browsers turn it upright by its EXIF orientation), its alternative text (empty
    for a decorative one), its size in pixels upright, and the credit line."""
    from ..model.photo import credit_line

    checked = figure.photo
    if checked is None:
        return None
    kind = "image/png" if checked.format == "PNG" else "image/jpeg"
    width, height = checked.upright_size
    return {
        "src": f"data:{kind};base64,{base64.b64encode(checked.data).decode('ascii')}",
        "alt": "" if figure.decorative else figure.alt,
        "width": width,
        "height": height,
        "credit": credit_line(figure, lang),
    }


def safe_link(target: str | None) -> str | None:
    """The link target if its scheme is allowed (as in the PDF), else None."""
    return target if target and target.lower().startswith(SAFE_SCHEMES) else None


def inline(spans: Sequence[Span]) -> Any:
    """Spans as inline HTML: ``<strong>``, ``<em>``, ``<sub>``, ``<sup>``, ``<code>``,
    ``<br>``, and one ``<a>`` for each run of spans with the same allowed link."""
    from markupsafe import Markup, escape

    parts: list[str] = []
    index = 0
    while index < len(spans):
        link = safe_link(spans[index].link)
        run: list[str] = []
        while index < len(spans) and safe_link(spans[index].link) == link:
            run.append(_span(spans[index], escape))
            index += 1
            if link is None:
                break
        html = "".join(run)
        parts.append(f'<a href="{escape(link)}">{html}</a>' if link else html)
    return Markup("".join(parts))


def _span(span: Span, escape: Any) -> str:
    if span.text == "\n":
        return "<br>"
    html = str(escape(span.text))
    for flag, tag in (
        (span.code, "code"),
        (span.sub, "sub"),
        (span.sup, "sup"),
        (span.italic, "em"),
        (span.bold, "strong"),
    ):
        if flag:
            html = f"<{tag}>{html}</{tag}>"
    return html


def _logo(text: ReleaseText) -> dict[str, Any] | None:
    """The letterhead's logo as a ``data:`` URI with its size in CSS pixels."""
    letterhead = text.letterhead
    if letterhead.logo is None:
        return None
    data = letterhead.logo.read_bytes()
    kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    pixels_wide, pixels_high = letterhead.logo_pixels
    width = round(letterhead.logo_width * _PX_PER_MM)
    return {
        "src": f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}",
        "alt": letterhead.logo_alt,
        "width": width,
        "height": max(1, round(width * pixels_high / max(pixels_wide, 1))),
    }


def json_ld(text: ReleaseText) -> str:
    """schema.org NewsArticle, safe inside ``<script>``: ``<``, ``>`` and ``&`` are written
    as JSON escapes, so no text can close the element (``</script>``) or open a comment."""
    release, letterhead = text.release, text.letterhead
    organisation = {"@type": "Organization", "name": letterhead.organisation}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.headline,
        "datePublished": release.date.isoformat(),
        "inLanguage": release.lang,
        "author": organisation,
        "publisher": organisation,
    }
    if release.subtitle:
        data["description"] = release.subtitle
    if release.number is not None:
        data["identifier"] = str(release.number)
    encoded = json.dumps(data, ensure_ascii=False, indent=1)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        encoded = encoded.replace(char, escape)
    # U+2028/U+2029 are valid in JSON but end a line in older script parsers.
    return encoded.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
