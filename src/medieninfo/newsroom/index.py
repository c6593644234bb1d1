"""The site's ``index.html``: every published release, newest first, grouped by year.

One accessible page: ``<html lang>``, a ``<title>`` and one ``<h1>``, a ``<section>`` with an
``<h2>`` per year, each release as a list item with its date (``<time>``), number, the
headline linking to its page, the subtitle, and a link to its PDF whose accessible name
includes the headline (so a screen reader's list of links tells them apart). The feed is
announced with ``<link rel="alternate">`` and linked in the footer. Links are relative, so
the folder can be served from any path. Jinja2 autoescapes every value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import CREATOR
from ..model.letterhead import Letterhead
from ..model.release import Release
from ..text.release_text import format_date
from .catalogue import Entry
from .feed import FEED_NAME

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Item:
    release: Release
    date: str
    page: str
    pdf: str


def index_page(entries: Sequence[Entry], *, letterhead: Letterhead, title: str) -> str:
    """The index of ``entries`` (published, newest first) under ``letterhead``'s colours."""
    items = [
        Item(
            e.release,
            format_date(e.release.date),
            quote(str(e.page(".html"))),
            quote(str(e.page(".pdf"))),
        )
        for e in entries
        if e.release is not None
    ]
    years = [
        (year, list(group)) for year, group in groupby(items, key=lambda i: i.release.date.year)
    ]
    lang = items[0].release.lang if items else "de-DE"
    return (
        _environment()
        .get_template("index.html")
        .render(
            title=title,
            letterhead=letterhead,
            years=years,
            lang=lang,
            feed=FEED_NAME,
            generator=CREATOR,
        )
    )


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
