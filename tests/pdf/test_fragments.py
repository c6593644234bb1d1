"""Plain paragraphs' fragments made without ReportLab's parser (medieninfo.pdf.fragments)
are the parser's own, and the PDFs drawn from them are the same bytes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus.paragraph import Paragraph

from medieninfo.model.release import load_release
from medieninfo.pdf import fragments, layout
from medieninfo.render import letterhead_for, prepare, render_release

from conftest import ROOT

RELEASES = [
    ROOT / "examples" / "eu-mission.yaml",
    *sorted((ROOT / "tests/data/releases").glob("*.yaml")),
]


@pytest.fixture(scope="module")
def styles() -> list[object]:
    release = load_release(ROOT / "examples" / "eu-mission.yaml")
    letterhead = letterhead_for(release)
    names = prepare(release, letterhead).names
    made = []
    for tight in (False, True):
        every = layout.make_styles(letterhead, names, None, tight=tight)
        made += [getattr(every, f.name) for f in dataclasses.fields(every) if f.name != "fallback"]
    return made


def _parsed(text: str, style: object) -> tuple[str, list[dict[str, object]]]:
    paragraph = Paragraph(text, style)
    return paragraph.text, [dict(vars(frag)) for frag in paragraph.frags]


def _made(text: str, style: object) -> tuple[str, list[dict[str, object]]]:
    cleaned, frags = fragments.plain_fragments(text, style)
    return cleaned, [dict(vars(frag)) for frag in frags]


# Text as a release has it: words, every kind of space and line break, quotes, dashes,
# non-Latin letters; never &, < or > (the layout escapes them, so such text is not plain).
_TEXT = st.text(
    st.sampled_from(list("aäßZ09 .,;:-–—„“‚‘'\"/()\n\t\r\xa0\u202f\u2009\u00ad€ΩЖ𝄞")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, pick=st.integers(min_value=0))
def test_the_fragments_are_the_parsers(styles: list[object], text: str, pick: int) -> None:
    style = styles[pick % len(styles)]
    assert fragments.is_plain(text)
    assert _made(text, style) == _parsed(text, style)


def test_each_fragment_has_lists_of_its_own(styles: list[object]) -> None:
    first = fragments.plain_fragments("Erster Absatz", styles[0])[1][0]
    second = fragments.plain_fragments("Zweiter Absatz", styles[0])[1][0]
    lists = [name for name, value in vars(first).items() if type(value) is list]
    assert lists  # link and us_lines, as the parser starts them
    assert all(getattr(first, name) is not getattr(second, name) for name in lists)


@pytest.mark.parametrize("markup", ["a &amp; b", "<b>fett</b>", "x &lt; y", "<br/>"])
def test_markup_is_left_to_the_parser(markup: str) -> None:
    assert not fragments.is_plain(markup)


def test_a_changed_font_mapping_makes_a_new_probe(
    styles: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.lib import fonts

    style = styles[0]
    fragments.plain_fragments("Text", style)
    before = fragments._PROBES[style]
    real = fonts.ps2tt
    monkeypatch.setattr(fonts, "ps2tt", lambda name: (*real(name)[:2], 1))
    fragments.plain_fragments("Text", style)
    assert fragments._PROBES[style] is not before


@pytest.mark.parametrize("source", RELEASES, ids=lambda path: path.stem)
def test_pdfs_are_the_bytes_the_parser_gives(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = load_release(source)
    letterhead = letterhead_for(release)
    fast = render_release(release, letterhead).pdf
    monkeypatch.setattr(layout, "is_plain", lambda markup: False)
    parsed = render_release(release, letterhead).pdf
    assert fast == parsed
