"""The refinement rules skipped on a paragraph without a decimal digit change nothing there
(medieninfo.text.typography._DIGIT_RULES)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medieninfo.text import typography

# Everything the digit rules look for, but digits: units, amount words, number prefixes,
# hyphens and dashes, every kind of space, and digits that are not decimal (²) or that
# Python's \d does not count as such (Ⅻ).
_PIECES = [
    "Mio. ", "Mrd. ", "Tsd. ", "Euro", " Prozent", " km", " %", "Nr. ", "Nrn. ", "§ ", "§§ ",
    "S. ", "Abs. ", "Art. ", "No. ", "pp. ", "Fig. ", "-", "–", " - ", "a", "Wort", ".", ",",
    ":", "/", "+", " ", "\u00a0", "\u202f", "²", "Ⅻ", "½", "\n",
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT)
def test_digit_rules_change_nothing_without_a_digit(text: str) -> None:
    assert typography.DIGIT.search(text) is None
    for rule in typography._DIGIT_RULES:
        out = list(text)
        rule(text, out, [True] * len(text))
        assert out == list(text), rule


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, lang=st.sampled_from(["de-DE", "en", "fr", "nl"]))
def test_refining_without_a_digit_is_refining_with_every_rule(text: str, lang: str) -> None:
    # Forced through every rule, as before the shortcut: the same result.
    everything = dict(typography._RULES)
    shortcut = typography._RULES_WITHOUT_DIGITS
    try:
        typography._RULES_WITHOUT_DIGITS = everything
        full = typography.refine([text], lang)
    finally:
        typography._RULES_WITHOUT_DIGITS = shortcut
    assert typography.refine([text], lang) == full


def test_every_digit_rule_is_a_rule() -> None:
    every = {rule for rules in typography._RULES.values() for rule in rules}
    assert typography._DIGIT_RULES.issubset(every)
    # With digits, each of them does something somewhere.
    samples = "5 Mio. Euro, 1 000 000, 3 km, 10-12 Uhr, Nr. 5, No. 5, § 3, S. 7, 1–2"
    for rule in typography._DIGIT_RULES:
        out = list(samples)
        rule(samples, out, [True] * len(samples))
        assert out != list(samples), rule
