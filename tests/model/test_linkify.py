"""Bare URLs and e-mail addresses in the body become links, under the Markdown links' rules."""

from __future__ import annotations

from medieninfo.model.content import Paragraph, Span, parse_body


def _links(markdown: str) -> list[tuple[str, str | None]]:
    (block,) = parse_body(markdown)
    assert isinstance(block, Paragraph)
    return [(span.text, span.link) for span in block.spans if span.link]


def test_bare_addresses_become_links() -> None:
    assert _links(
        "Siehe https://www.example.org/a?b=1, www.dortmund.de, dortmund.de/presse "
        "und info@stadt.de."
    ) == [
        ("https://www.example.org/a?b=1", "https://www.example.org/a?b=1"),
        ("www.dortmund.de", "http://www.dortmund.de"),
        ("dortmund.de/presse", "http://dortmund.de/presse"),
        ("info@stadt.de", "mailto:info@stadt.de"),
    ]


def test_only_the_allowed_schemes_become_links() -> None:
    assert (
        _links("javascript:alert(1) file:///etc/passwd ftp://example.org/x data:text/html,x") == []
    )


def test_addresses_in_code_and_in_links_are_not_linked_twice() -> None:
    (block,) = parse_body("`https://example.org` und [https://a.de](https://b.de)")
    assert isinstance(block, Paragraph)
    assert block.spans[0] == Span("https://example.org", code=True)
    assert [(s.text, s.link) for s in block.spans if s.link] == [("https://a.de", "https://b.de")]


def test_text_without_an_address_is_parsed_without_linkify() -> None:
    """Ordinary prose (abbreviations, dates, decimals) neither links nor pays for linkify."""
    from medieninfo.model import content

    assert content._MAYBE_LINK.search("z. B. am 28.01.2022 um 9.30 Uhr, ca. 3,5 % u. a.") is None
    assert _links("z. B. am 28.01.2022 um 9.30 Uhr") == []


def test_an_address_longer_than_browsers_take_stays_text() -> None:
    from medieninfo.model.content import MAX_URL_CHARS

    usable = "https://example.org/" + "a" * (MAX_URL_CHARS - 20)
    too_long = usable + "a"
    assert _links(f"Siehe {usable} hier.") == [(usable, usable)]
    assert _links(f"Siehe {too_long} hier.") == []
    assert _links(f"Siehe [die Seite]({too_long}).") == []
