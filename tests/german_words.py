"""The hand-checked German word list (``data/german-hyphenation.txt``), parsed.

Shared by the hyphenator's own tests (text stage) and the check of the hyphens in the PDF
(PDF stage); the notation is documented at the top of the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WORD_LIST = Path(__file__).parent / "data" / "german-hyphenation.txt"


@dataclass(frozen=True)
class Entry:
    line: str
    word: str
    allowed: frozenset[int]  # every allowed break
    counted: frozenset[int]  # breaks a good hyphenator should find (recall)
    seams: frozenset[int]  # compound seams


def parse_entry(line: str) -> Entry:
    """Parse the notation documented at the top of the word list."""
    letters: list[str] = []
    allowed: set[int] = set()
    counted: set[int] = set()
    seams: set[int] = set()
    i = 0
    while i < len(line):
        if line.startswith("--", i):
            letters.append("-")
            p = len(letters)
            allowed.add(p)
            counted.add(p)
            seams.add(p)
            i += 2
            continue
        ch = line[i]
        if ch in "-=~":
            p = len(letters)
            allowed.add(p)
            if ch != "~":
                counted.add(p)
            if ch == "=":
                seams.add(p)
        else:
            letters.append(ch)
        i += 1
    return Entry(line, "".join(letters), frozenset(allowed), frozenset(counted), frozenset(seams))


def load_entries() -> list[Entry]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return [parse_entry(s.strip()) for s in lines if s.strip() and not s.startswith("#")]


ENTRIES = load_entries()
