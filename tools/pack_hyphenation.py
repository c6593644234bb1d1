#!/usr/bin/env python3
"""Pack the hyphenation patterns into the tries a render reads (``medieninfo.text.patterns``).

Reads every ``src/medieninfo/data/hyphenation/<code>.txt`` (written by
``tools/compile_hyphenation.py`` from TeX's sources) and writes ``<code>.trie`` beside it,
or into ``--out-dir``. The same ``.txt`` always gives the same bytes, so
``tests/text/test_patterns.py`` can check that the shipped tries are up to date. Re-run it
after compile_hyphenation.py.

Usage::

    python tools/pack_hyphenation.py [--out-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "medieninfo" / "data" / "hyphenation"
sys.path.insert(0, str(ROOT / "src"))

from medieninfo.text.patterns import MAGIC  # noqa: E402

#: The check of a free slot: no slot has this parent.
FREE = -1


@dataclass(frozen=True)
class PatternSource:
    """One language's patterns as the ``.txt`` data file states them."""

    left: int
    right: int
    exceptions: tuple[str, ...]
    #: Letter string -> digit string (one digit per gap, len(letters) + 1), sorted.
    patterns: dict[str, str]


def read_source(text: str, *, name: str = "<patterns>") -> PatternSource:
    """Parse a ``.txt`` data file (format: ``tools/compile_hyphenation.py``)."""
    lines = text.split("\n")
    pos = 0
    while lines[pos].startswith("#"):
        pos += 1
    header: dict[str, int] = {}
    for key in ("left", "right", "exceptions"):
        label, _, value = lines[pos].partition(" ")
        if label != key:
            raise ValueError(f"{name}: expected {key!r}, got {lines[pos]!r}")
        header[key] = int(value)
        pos += 1
    count = header["exceptions"]
    exceptions = tuple(lines[pos : pos + count])
    pos += count
    label, _, value = lines[pos].partition(" ")
    if label != "patterns":
        raise ValueError(f"{name}: expected 'patterns', got {lines[pos]!r}")
    count = int(value)
    pos += 1
    keys = lines[pos : pos + count]
    digits = lines[pos + count : pos + 2 * count]
    return PatternSource(
        header["left"], header["right"], exceptions, dict(zip(keys, digits, strict=True))
    )


def pack(source: PatternSource) -> bytes:
    """The ``.trie`` file of ``source``; the same source always gives the same bytes."""
    patterns = source.patterns
    alphabet = sorted({letter for key in patterns for letter in key})
    codes = {letter: index + 1 for index, letter in enumerate(alphabet)}
    values = sorted(set(patterns.values()))
    value_of = {digits: index + 1 for index, digits in enumerate(values)}
    # A plain trie first: children by letter code, and the value ending at each node.
    children: list[dict[int, int]] = [{}]
    ends = [0]
    for key, digits in patterns.items():
        node = 0
        for letter in key:
            code = codes[letter]
            child = children[node].get(code)
            if child is None:
                child = len(children)
                children[node][code] = child
                children.append({})
                ends.append(0)
            node = child
        ends[node] = value_of[digits]
    # Then each node's children go to the lowest base whose slots are all free, breadth
    # first from the root.
    size = len(children) * 2 + len(alphabet) + 1
    base, check, value = [0] * size, [FREE] * size, [0] * size
    used = bytearray(size)
    used[0] = 1
    slot = [0] * len(children)
    queue = [0]
    first_free = 1
    for node in queue:
        kids = sorted(children[node].items())
        if not kids:
            continue
        start = max(first_free - kids[0][0], 0)
        while True:
            if start + kids[-1][0] >= len(used):
                grow = len(used)
                used.extend(bytes(grow))
                base.extend([0] * grow)
                check.extend([FREE] * grow)
                value.extend([0] * grow)
            if not any(used[start + code] for code, _ in kids):
                break
            start += 1
        base[slot[node]] = start
        for code, child in kids:
            here = start + code
            used[here] = 1
            check[here] = slot[node]
            value[here] = ends[child]
            slot[child] = here
            queue.append(child)
        while used[first_free]:
            first_free += 1
    # Every base[s] + code must index the arrays, so they end one alphabet past the top base.
    size = max(max(base) + len(alphabet), max(s for s in range(len(used)) if used[s])) + 1
    head = [
        MAGIC,
        f"{source.left} {source.right} {len(source.exceptions)} {size}\n".encode(),
        ("".join(alphabet) + "\n").encode(),
        (" ".join(values) + "\n").encode(),
        *((entry + "\n").encode() for entry in source.exceptions),
    ]
    arrays = [array("i", numbers[:size]) for numbers in (base, check, value)]
    if sys.byteorder == "big":
        for numbers in arrays:
            numbers.byteswap()
    return b"".join(head) + b"".join(numbers.tobytes() for numbers in arrays)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DATA)
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for text in sorted(DATA.glob("*.txt")):
        if text.name.startswith("LICENSE") or text.stem == "de-seams":
            continue
        source = read_source(text.read_text(encoding="utf-8"), name=text.name)
        target = args.out_dir / f"{text.stem}.trie"
        target.write_bytes(pack(source))
        print(
            f"{text.name} -> {target} ({len(source.patterns):,} patterns, "
            f"{target.stat().st_size:,} bytes)"
        )


if __name__ == "__main__":
    main()
