"""The quote rule visits only the quote characters: it must act as when it read every one.

The reference below is the rule as it was, reading the text character by character.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from medieninfo.text import typography

APOSTROPHE = "’"


def _every_character_rule(quotes: Any) -> Any:
    def rule(text: str, out: list[str], free: list[bool]) -> None:
        double_open = False
        single_open = 0
        n = len(text)
        for i, ch in enumerate(text):
            if not free[i]:
                continue
            # Typographic quotes already in the text keep the state in step.
            if ch == quotes.double[0]:
                double_open = True
            elif ch == quotes.double[1] and quotes.double[0] != quotes.double[1]:
                double_open = False
            elif ch == quotes.single[0]:
                single_open += 1
            elif ch == quotes.single[1] and ch != APOSTROPHE and single_open:
                single_open -= 1
            if ch not in "\"'":
                continue
            prev = out[i - 1][-1:] if i > 0 else ""
            nxt = text[i + 1] if i + 1 < n else ""
            after_space = prev == "" or prev.isspace() or prev in quotes.openers
            before_space = nxt == "" or nxt.isspace() or not str.isalnum(nxt)
            if ch == '"':
                opening = not double_open if after_space == before_space else after_space
                out[i] = quotes.double[0] if opening else quotes.double[1]
                double_open = opening
                continue
            # ch == "'"
            if str.isalnum(prev) and str.isalnum(nxt):
                out[i] = APOSTROPHE  # geht's, Peter's
            elif after_space and not before_space:
                word = re.match(r"\w*", text[i + 1 :])
                following = word.group(0).lower() if word else ""
                if following in quotes.elisions or following[:1].isdigit():
                    out[i] = APOSTROPHE  # 'ne, 's, '90er
                else:
                    out[i] = quotes.single[0]
                    single_open += 1
            elif single_open and not after_space:
                out[i] = quotes.single[1]
                single_open -= 1
            else:
                out[i] = APOSTROPHE  # Andreas' Buch

    return rule


_TEXT = st.text(alphabet="\"'„“‚‘”’«( )-aAs1n.\u00a0", max_size=40)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, protected=st.lists(st.booleans(), max_size=40))
def test_the_quote_rule_acts_as_when_it_read_every_character(
    text: str, protected: list[bool]
) -> None:
    free = [not (protected[i] if i < len(protected) else False) for i in range(len(text))]
    for quotes in (typography._DE_QUOTES, typography._EN_QUOTES):
        expected, got = list(text), list(text)
        _every_character_rule(quotes)(text, expected, free)
        typography._quote_rule(quotes)(text, got, free)
        assert got == expected


def test_positions_finds_every_mark_in_order() -> None:
    assert typography._positions("a„b“c„", "„“") == [1, 3, 5]
    assert typography._positions("abc", "„“") == []
