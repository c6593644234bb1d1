"""The Atom 1.0 feed (RFC 4287) of a newsroom's published releases, newest first.

Each entry: title the headline, summary the subtitle (else the body's first paragraph),
``published`` and ``updated`` from the release (its Sperrfrist if it has one, else its date
at midnight, in :data:`~.catalogue.TIMEZONE`), and links to the web page and the PDF at the
release's path below ``base_url``. The entry id is a ``tag:`` URI (RFC 4151) made of the base
URL's host, the year and the number (``tag:presse.example.org,2022:medieninfo/753``), so a
corrected text keeps its id and a feed reader updates the entry instead of adding one. A
release without a number is identified by its path. Built with the standard library's
ElementTree, which escapes every text: whatever a headline holds stays text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree as ET

from ..model.content import Heading
from ..model.release import Release
from .catalogue import Entry, letterhead_at, zone

ATOM = "http://www.w3.org/2005/Atom"
#: The name the site gives the feed; the feed's ``self`` link points there.
FEED_NAME = "feed.xml"


def check_base_url(base_url: str) -> str:
    """``base_url`` without a trailing slash; ValueError unless it is an http(s) URL with a
    host (the feed's links and ids are made from it)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--base-url must be an http:// or https:// address, not {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"--base-url must not have a query or fragment: {base_url!r}")
    return base_url.rstrip("/")


def link(base_url: str, path: str) -> str:
    return f"{base_url}/{quote(path)}"


def published_at(release: Release) -> dt.datetime:
    """When a release counts as published: its Sperrfrist, else its date at midnight."""
    moment = release.embargo or dt.datetime.combine(release.date, dt.time())
    return moment.replace(tzinfo=zone())


def entry_id(entry: Entry, *, host: str) -> str:
    release = entry.release
    assert release is not None
    if release.number is not None:
        return f"tag:{host},{release.date.year}:medieninfo/{release.number}"
    return f"tag:{host},{release.date.year}:medieninfo/file/{quote(str(entry.relative))}"


def title_and_summary(entry: Entry) -> tuple[str, str]:
    """The headline, and the subtitle or else the body's first paragraph, refined as the
    web page shows them (typographic quotes, dashes)."""
    release = entry.release
    assert release is not None
    from ..render import compose, letterhead_path
    from ..text.release_text import plain, walk

    text = compose(release, letterhead_at(letterhead_path(release)))
    headline = text.release.headline
    if text.release.subtitle:
        return headline, text.release.subtitle
    for block in walk(text.whole_blocks()):
        if not isinstance(block, Heading):
            return headline, " ".join(plain(block.spans).split())
    return headline, ""


def atom_feed(
    entries: Sequence[Entry], *, base_url: str, title: str, author: str, updated: dt.datetime
) -> bytes:
    """The feed of ``entries`` (published ones, newest first) as UTF-8 XML. ``updated`` is
    the feed's time when it has no entry (else its newest entry's)."""
    base_url = check_base_url(base_url)
    host = urlsplit(base_url).hostname or ""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"{base_url}/{FEED_NAME}")
    sub(feed, "title", title)
    times = [published_at(e.release) for e in entries if e.release is not None]
    sub(feed, "updated", _stamp(max(times) if times else updated.replace(tzinfo=zone())))
    sub(sub(feed, "author"), "name", author)
    sub(feed, "link", rel="self", type="application/atom+xml", href=link(base_url, FEED_NAME))
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base_url}/")
    for entry in entries:
        release = entry.release
        assert release is not None
        node = sub(feed, "entry")
        headline, summary = title_and_summary(entry)
        sub(node, "id", entry_id(entry, host=host))
        sub(node, "title", headline)
        moment = _stamp(published_at(release))
        sub(node, "published", moment)
        sub(node, "updated", moment)
        sub(node, "link", rel="alternate", type="text/html", href=link(base_url, page(entry)))
        sub(
            node,
            "link",
            rel="alternate",
            type="application/pdf",
            href=link(base_url, str(entry.page(".pdf"))),
            title=f"{headline} (PDF)",
        )
        sub(node, "summary", summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def page(entry: Entry) -> str:
    return str(entry.page(".html"))


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")
