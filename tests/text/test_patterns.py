"""The packed hyphenation tries (``data/hyphenation/<code>.trie``) against their sources.

The ``.txt`` files are the patterns as TeX's sources give them; the tries are what a render
reads. They must say the same: every pattern reads back with its digits, none is added,
the header matches, the shipped files are what ``tools/pack_hyphenation.py`` writes now,
and Liang's algorithm over the trie breaks words as it did over a dict of the ``.txt``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from medieninfo.text import hyphenation
from medieninfo.text.patterns import MAGIC, PatternTrie

from german_words import ENTRIES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "medieninfo" / "data" / "hyphenation"
TOOL = ROOT / "tools" / "pack_hyphenation.py"
CODES = ("de", "en-us", "en-gb", "fr")


@cache
def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("pack_hyphenation", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def _source(code: str):  # type: ignore[no-untyped-def]
    text = (DATA / f"{code}.txt").read_text(encoding="utf-8")
    return _tool().read_source(text, name=f"{code}.txt")


def _trie(code: str) -> PatternTrie:
    return PatternTrie((DATA / f"{code}.trie").read_bytes(), name=f"{code}.trie")


@pytest.mark.parametrize("code", CODES)
def test_every_pattern_reads_back_and_none_is_added(code: str) -> None:
    source, trie = _source(code), _trie(code)
    assert (trie.left, trie.right) == (source.left, source.right)
    assert trie.exceptions == source.exceptions
    wrong = {key: trie.digits(key) for key, digits in source.patterns.items()}
    wrong = {key: got for key, got in wrong.items() if got != source.patterns[key]}
    assert not wrong, list(wrong.items())[:5]
    assert len(trie) == len(source.patterns)


def test_the_shipped_tries_are_what_the_tool_writes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(TOOL), "--out-dir", str(tmp_path)], check=True)
    written = sorted(path.name for path in tmp_path.glob("*.trie"))
    assert written == sorted(f"{code}.trie" for code in CODES)
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"{name} is stale: run tools/pack_hyphenation.py"
        )


def _liang_over_dict(patterns: dict[str, str], key: str, left: int, right: int) -> list[int]:
    """Liang's algorithm as it was before the trie: a dict lookup per substring."""
    longest = max(map(len, patterns))
    word = f".{key}."
    points = ["0"] * (len(word) + 1)
    for i in range(len(word)):
        for j in range(i + 1, min(len(word), i + longest) + 1):
            digits = patterns.get(word[i:j])
            if digits is not None:
                for k, d in enumerate(digits):
                    points[i + k] = max(points[i + k], d)
    return [p for p in range(left, len(key) - right + 1) if points[p + 1] in "13579"]


@pytest.mark.parametrize("code", CODES)
def test_liang_over_the_trie_breaks_as_over_the_dict(code: str) -> None:
    source = _source(code)
    hyphenator = hyphenation.Hyphenator(code)
    words = {hyphenation._fold(entry.word) for entry in ENTRIES}
    # Every pattern as a word too, with letters around it: each one must fire.
    words |= {f"ab{key.strip('.')}ab" for key in list(source.patterns)[::7]}
    # A letter none of the patterns has ends a walk midway.
    words |= {"straße\u263aschiff", "\u263aan", "zz\u263a"}
    for word in sorted(words):
        expected = _liang_over_dict(source.patterns, word, 1, 1)
        assert hyphenator._liang(word, 1, 1) == expected, word


def test_a_damaged_trie_is_refused() -> None:
    data = (DATA / "fr.trie").read_bytes()
    assert data.startswith(MAGIC)
    with pytest.raises(ValueError, match="not a medieninfo hyphenation trie"):
        PatternTrie(b"x" + data[1:])
    with pytest.raises(ValueError, match="bytes, expected"):
        PatternTrie(data[:-4])
    with pytest.raises(ValueError, match="bytes, expected"):
        PatternTrie(data + b"\0")
