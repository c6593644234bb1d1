"""Styles are made once per process for the same inputs, and anew for any other."""

from __future__ import annotations

import dataclasses

from medieninfo.model.release import load_release
from medieninfo.pdf import layout
from medieninfo.pdf.fonts import FontNames
from medieninfo.render import letterhead_for

from conftest import ROOT


def _inputs() -> tuple[object, FontNames]:
    release = load_release(ROOT / "examples" / "eu-mission.yaml")
    return letterhead_for(release), FontNames("R", "B", "I", "BI", "R")


def _attributes(styles: layout.Styles) -> dict[str, object]:
    return {
        field.name: (
            getattr(styles, field.name).__dict__
            if field.name != "fallback"
            else dict(styles.fallback)
        )
        for field in dataclasses.fields(styles)
    }


def test_same_inputs_same_styles() -> None:
    letterhead, names = _inputs()
    first = layout.make_styles(letterhead, names, None, fallback={"ä": "X"})
    assert layout.make_styles(letterhead, names, None, fallback={"ä": "X"}) is first


def test_kept_styles_equal_fresh_ones() -> None:
    letterhead, names = _inputs()
    kept = layout.make_styles(letterhead, names, None, tight=True)
    fresh = layout._make_styles(letterhead, names, None, fallback=None, tight=True)
    assert kept is not fresh
    assert repr(_attributes(kept)) == repr(_attributes(fresh))


def test_every_input_is_in_the_key() -> None:
    letterhead, names = _inputs()

    def hyphenate(word: str) -> list[tuple[str, str]]:
        return []

    base = layout.make_styles(letterhead, names, None)
    others = [
        layout.make_styles(letterhead, names, None, tight=True),
        layout.make_styles(letterhead, names, hyphenate),
        layout.make_styles(letterhead, names, None, fallback={"ä": "X"}),
        layout.make_styles(letterhead, names._replace(bold="B2"), None),
        layout.make_styles(dataclasses.replace(letterhead, accent="#123456"), names, None),
        layout.make_styles(dataclasses.replace(letterhead, text_colour="#123456"), names, None),
        layout.make_styles(dataclasses.replace(letterhead, text_align="justify"), names, None),
    ]
    assert all(other is not base for other in others)
    assert len({id(other) for other in others}) == len(others)


def test_kept_styles_are_bounded() -> None:
    letterhead, names = _inputs()
    for index in range(3 * layout._STYLES_KEPT):
        layout.make_styles(letterhead, names._replace(bold=f"B{index}"), None)
    assert len(layout._STYLES) <= layout._STYLES_KEPT
