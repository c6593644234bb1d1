"""The faster forms of typography's patterns find exactly what their plain forms find.

``_protected_pattern`` leaves out the alternatives that cannot match in a text and puts a
lookahead before the phone numbers; the abbreviation pattern has a lookahead before its
alternatives. Both are compared with the plain pattern (every alternative, no lookahead)
on every release, example and hostile case, their paragraphs and lines, and on random
strings made of the characters the alternatives turn on.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from medieninfo.text import typography

ROOT = Path(__file__).resolve().parents[2]

# The protected pattern as it was before the variants: every alternative, phone numbers
# without their lookahead.
_PLAIN_PROTECTED = re.compile(
    "|".join(
        [
            typography._URL,
            typography._EMAIL,
            typography._WWW,
            typography._DOMAIN,
            typography._PHONE_SOURCE + r"| \b\d{4}-\d{2}-\d{2}\b",
        ]
    ),
    re.VERBOSE,
)


def _corpus() -> list[str]:
    files = [
        *sorted((ROOT / "tests" / "data" / "releases").glob("*")),
        *sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in {".yaml", ".toml", ".md"}),
        ROOT / "tests" / "hostile" / "cases.toml",
        ROOT / "tests" / "data" / "medieninformation-753.txt",
    ]
    texts: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        texts += [text, *text.split("\n\n"), *text.split("\n")]
    rng = random.Random(17)
    alphabet = "ab0123 .:/@-+()w.de.com http mailto: www. \"'\u00a0\u202fz. B."
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    return texts


CORPUS = _corpus()


def test_corpus_has_every_variant() -> None:
    # The random strings reach every combination of URL, e-mail and domain.
    for text in CORPUS:
        typography._protected_pattern(text)
    assert len(typography._PROTECTED_VARIANTS) == 8


@pytest.mark.parametrize(
    "text",
    [
        "Mehr unter https://example.de/a.",
        "mailto:presse@stadt.de",
        "presse@stadt.de oder www.stadt.de",
        "Auf stadt.de und 0231 50-2 21 34 am 2026-12-01",
        "Tel. +49 (0)231/50-2 21 34, Fax (0231) 50 22",
    ],
)
def test_protected_examples(text: str) -> None:
    spans = [m.span() for m in typography._protected_pattern(text).finditer(text)]
    assert spans and spans == [m.span() for m in _PLAIN_PROTECTED.finditer(text)]


def test_protected_variants_find_what_the_plain_pattern_finds() -> None:
    for text in CORPUS:
        found = [m.span() for m in typography._protected_pattern(text).finditer(text)]
        assert found == [m.span() for m in _PLAIN_PROTECTED.finditer(text)], text


def test_every_abbreviation_opens_with_letter_and_full_stop() -> None:
    # What the abbreviation pattern's lookahead assumes.
    for abbreviation in typography._DE_ABBREVIATIONS:
        assert re.fullmatch(r"\w\.", abbreviation.split(" ")[0]), abbreviation


def test_abbreviation_lookahead_changes_no_match() -> None:
    fast = typography._DE_ABBREVIATION.compiled
    plain = re.compile(fast.pattern.replace(r"(?=\w\.)", "", 1))
    assert plain.pattern != fast.pattern
    texts = [*CORPUS, "z. B. und Z. B., i. d. R. u. v. m. a. D. (n. Chr.)"]
    for text in texts:
        text = text.replace(typography.NNBSP, typography.NBSP)
        fast_found = [(m.span(), m.groups()) for m in fast.finditer(text)]
        assert fast_found == [(m.span(), m.groups()) for m in plain.finditer(text)], text


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("_DIGIT_GROUPS", r"(?<![\d.,+/])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"),
        ("_SPACED_HYPHEN", r"(?<=\S)( )-( )(?=\S)"),
        ("_SPACE_BEFORE_DASH", r"(?<=\S)( )[–—](?= )"),
    ],
)
def test_lookbehind_moved_past_first_character_changes_no_match(name: str, plain: str) -> None:
    fast = getattr(typography, name).compiled
    assert fast.pattern != plain
    slow = re.compile(plain)
    texts = [*CORPUS, "1 000 000 und 12 345, 1.234 567 – a - b 3-4 x – y — z"]
    rng = random.Random(3)
    texts += [
        "".join(rng.choice("1 2.,+/\u00a0\u202f-–—ax") for _ in range(30)) for _ in range(5000)
    ]
    for text in texts:
        found = [(m.span(), m.regs) for m in fast.finditer(text)]
        assert found == [(m.span(), m.regs) for m in slow.finditer(text)], text
