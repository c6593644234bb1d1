"""Span's own shortcuts for dataclasses.replace and comparison (the body makes many)."""

from __future__ import annotations

import dataclasses
import itertools

from medieninfo.model.content import Span, parse_body


def test_span_fields_are_the_ones_the_shortcuts_know() -> None:
    # A new field must go into with_text and same_style too: this test names them.
    assert [f.name for f in dataclasses.fields(Span)] == [
        "text", "bold", "italic", "sub", "sup", "code", "link",
    ]  # fmt: skip


def test_with_text_is_replace() -> None:
    span = Span("a", bold=True, italic=True, sub=True, sup=True, code=True, link="https://x.de")
    assert span.with_text("b") == dataclasses.replace(span, text="b")
    assert Span("a").with_text("") == Span("")


def test_same_style_compares_all_but_the_text() -> None:
    styles = [
        Span("x", bold=b, italic=i, sub=s, sup=p, code=c, link=k)
        for b, i, s, p, c, k in itertools.product(*[(False, True)] * 5, (None, "https://x.de"))
    ]
    for one, other in itertools.product(styles, repeat=2):
        expected = dataclasses.replace(one, text="") == dataclasses.replace(other, text="")
        assert one.same_style(other.with_text("other text")) is expected


def test_neighbours_of_one_style_merge() -> None:
    (paragraph,) = parse_body("Ein *kursiver* und **fetter** Text mit `Code`  \nund Umbruch.")
    texts = [(span.text, span.bold, span.italic, span.code) for span in paragraph.spans]  # type: ignore[union-attr]
    assert texts == [
        ("Ein ", False, False, False),
        ("kursiver", False, True, False),
        (" und ", False, False, False),
        ("fetter", True, False, False),
        (" Text mit ", False, False, False),
        ("Code", False, False, True),
        ("\n", False, False, False),
        ("und Umbruch.", False, False, False),
    ]
