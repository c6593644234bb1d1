"""Field checks (medieninfo.model.fields) against the rules they stand for."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from medieninfo.model import fields
from medieninfo.model.source import Node


def _refused_by_definition(char: str) -> bool:
    # The rule as the error message states it: Unicode's control characters and lone
    # surrogates, but newline and tab, and the two noncharacters of the BMP's end.
    if char in "\n\t":
        return False
    return unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"


def test_the_refused_pattern_is_the_rule_for_every_code_point() -> None:
    every = map(chr, range(sys.maxunicode + 1))
    refused = fields._REFUSED.fullmatch
    wrong = [char for char in every if bool(refused(char)) != _refused_by_definition(char)]
    assert wrong == []


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ("ab\x07c", (4, 9)),  # on the node's line: its column is kept
        ("erste\nzweite \x1b", (5, None)),  # a line further down: no column
        ("\ud800", (4, 9)),
        ("ok\ufffe", (4, 9)),
        ("C1 \x85 here", (4, 9)),
    ],
)
def test_the_first_refused_character_is_named_where_it_is(
    value: str, where: tuple[int, int | None]
) -> None:
    node = Node(value, 4, 9)
    with pytest.raises(fields.FieldError) as caught:
        fields.text(node)
    char = next(c for c in value if _refused_by_definition(c))
    assert str(caught.value) == f"control character U+{ord(char):04X} is not allowed in text"
    assert (caught.value.line, caught.value.column) == where


def test_newlines_tabs_and_other_text_pass() -> None:
    value = "Zeile\n\tmit Tab, Ümlaut, € und 𝄞"
    assert fields.text(Node(value, 1, 1)) == value
