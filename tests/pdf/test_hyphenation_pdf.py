"""Every hyphen the PDF sets at a line end is a correct break, checked against the word list."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest

from medieninfo.model.release import load_release, parse_release
from medieninfo.render import letterhead_for, render_release

from conftest import EXAMPLES, pdf_pages
from german_words import ENTRIES, Entry

BY_WORD: dict[str, Entry] = {entry.word: entry for entry in ENTRIES}
_TOKEN_EDGE = "„“‚‘\"'()[],.;:!?"


def _line_breaks(pages: list[str]) -> list[tuple[str, str]]:
    """(head, tail) for every line that ends in a hyphen, the tail from the next line."""
    breaks = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for line, following in pairwise(lines):
            # A hyphen the line breaker inserted reads as a soft hyphen (U+00AD).
            line = line.removesuffix("\xad") + "-" if line.endswith("\xad") else line
            if not line.endswith("-") or line.endswith(" -"):
                continue
            head = line.split()[-1].lstrip(_TOKEN_EDGE)
            tail = following.split()[0].rstrip(_TOKEN_EDGE)
            breaks.append((head, tail))
    return breaks


def _check(breaks: list[tuple[str, str]]) -> list[str]:
    """The breaks that are wrong, or of words the list does not know."""
    wrong = []
    for head, tail in breaks:
        hard = head[:-1] + "-" + tail  # a break at a hyphen the word itself has
        soft = head[:-1] + tail  # a hyphen the line breaker added
        if hard in BY_WORD and len(head) in BY_WORD[hard].allowed:
            continue
        entry = BY_WORD.get(soft)
        if entry is None or len(head) - 1 not in entry.allowed:
            wrong.append(f"{head}|{tail}")
    return wrong


def test_compound_heavy_release_breaks_only_where_the_list_allows() -> None:
    words = [entry.word for entry in ENTRIES if len(entry.word) >= 10 and " " not in entry.word]
    assert len(words) > 60
    body = "\n\n".join(
        " und ".join(words[start : start + 8]) + "." for start in range(0, len(words), 8)
    )
    text = "date: 2022-04-28\nheadline: Komposita\nbody: |\n" + "".join(
        f"  {line}\n" if line else "\n" for line in body.split("\n")
    )
    release = parse_release(text.encode(), name="k.yaml", folder=Path("."))
    pages = pdf_pages(render_release(release, letterhead_for(release)).pdf)
    breaks = _line_breaks(pages)
    # Long compounds in a 118 mm column: the test is worthless unless many lines hyphenate.
    assert len(breaks) >= 12, breaks
    assert _check(breaks) == []


@pytest.mark.parametrize("name", ["eu-mission.yaml", "musterstadt/release.yaml"])
def test_example_hyphenates_only_at_correct_breaks(name: str) -> None:
    release = load_release(EXAMPLES / name)
    pages = pdf_pages(render_release(release, letterhead_for(release)).pdf)
    breaks = [(h, t) for h, t in _line_breaks(pages) if not re.fullmatch(r"[\d.:/]+-", h)]
    assert _check(breaks) == []
