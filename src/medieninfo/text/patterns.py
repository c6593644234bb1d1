"""Hyphenation patterns packed as a trie: the ``.trie`` file format and its reader.

A language's TeX patterns are 1,200 to 37,000 letter strings with a digit string each
(``data/hyphenation/<code>.txt``, written by ``tools/compile_hyphenation.py``). As a Python
dict the German set is 73,000 string objects, built on the first hyphenated word of every
cold render (~10 ms). Packed as a double-array trie it is three int arrays and a few
hundred distinct digit strings, read in well under a millisecond, and Liang's algorithm
walks it directly: from each letter of a word, one step per following letter, stopping at
the first letter no pattern continues with (the dict needed a lookup per substring).

``tools/pack_hyphenation.py`` writes ``<code>.trie`` from ``<code>.txt``;
``tests/text/test_patterns.py`` checks that the shipped files are what it writes and that
every pattern reads back. Layout of a ``.trie`` file (integers little-endian)::

    medieninfo hyphenation trie 1\\n
    <left> <right> <exception count> <size>\\n   hyphen minimums, array length
    <alphabet>\\n                               the letters; letter i has the code i + 1
    <digit strings, space-separated>\\n         value v is the (v - 1)-th of them
    <exception>\\n ...                          TeX style ("ta-ble"), as in the .txt
    base[size] check[size] value[size]         int32 each

The child of slot ``s`` by letter code ``c`` is slot ``t = base[s] + c`` if
``check[t] == s``; the root is slot 0; ``value[t]`` (0: none) is the digit string of the
pattern that ends there.
"""

from __future__ import annotations

import sys
from array import array

MAGIC = b"medieninfo hyphenation trie 1\n"


class PatternTrie:
    """A ``.trie`` file read back: the arrays Liang's algorithm walks, and the header."""

    __slots__ = ("base", "check", "codes", "exceptions", "left", "right", "value", "values")

    def __init__(self, data: bytes, *, name: str = "<trie>") -> None:
        if not data.startswith(MAGIC):
            raise ValueError(f"{name}: not a medieninfo hyphenation trie")
        pos = len(MAGIC)

        def line() -> str:
            nonlocal pos
            end = data.index(b"\n", pos)
            text = data[pos:end].decode("utf-8")
            pos = end + 1
            return text

        self.left, self.right, count, size = map(int, line().split())
        #: Letter -> code; a letter without one continues no pattern.
        self.codes = {letter: index + 1 for index, letter in enumerate(line())}
        #: Digit strings by value; 0 (no pattern ends at the slot) has none.
        self.values = ("", *line().split(" "))
        self.exceptions = tuple(line() for _ in range(count))
        arrays = []
        for _ in range(3):
            numbers = array("i")
            numbers.frombytes(data[pos : pos + numbers.itemsize * size])
            if sys.byteorder == "big":
                numbers.byteswap()
            pos += numbers.itemsize * size
            arrays.append(numbers)
        if pos != len(data) or len(arrays[2]) != size:
            raise ValueError(f"{name}: {len(data)} bytes, expected {pos}")
        self.base, self.check, self.value = arrays

    def digits(self, key: str) -> str | None:
        """The digit string of the pattern ``key``, or None (for tests and tools)."""
        state = 0
        for letter in key:
            code = self.codes.get(letter)
            if code is None:
                return None
            child = self.base[state] + code
            if self.check[child] != state:
                return None
            state = child
        return self.values[self.value[state]] or None

    def __len__(self) -> int:
        """The number of patterns (slots where one ends)."""
        return sum(1 for found in self.value if found)
