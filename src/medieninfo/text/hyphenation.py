"""Hyphenation with TeX patterns (Liang's algorithm), shaped for ReportLab.

German uses the patterns of the Deutschsprachige Trennmustermannschaft
(dehyph-exptl, reformed orthography), English and French those of hyph-utf8.
The patterns are precompiled by ``tools/compile_hyphenation.py`` into
``medieninfo/data/hyphenation/<code>.txt``, packed by ``tools/pack_hyphenation.py``
into ``<code>.trie`` (format: :mod:`.patterns`), and that is loaded on first use. The
German compound-seam lists of :meth:`Hyphenator.preferred` are data too, in
``de-seams.txt`` beside them.

A :class:`Hyphenator` is a callable ``word -> [(head, tail), ...]`` with the
longest head first, which is what ``ParagraphStyle(hyphenationLang=...)``
accepts. Word handling:

* Capitalised words, umlauts and ß are matched against the lower-case patterns.
* Hard hyphens ("Photovoltaik-Offensive") are break points themselves (the head
  keeps its "-", so ReportLab adds none) and the parts are hyphenated alone.
* Words with soft hyphens (U+00AD) break only there (and at hard hyphens); the
  head of such a pair has its soft hyphens removed so ReportLab adds a visible
  hyphen.
* Words with digits, URLs and e-mail addresses are never hyphenated, nor are
  acronyms in capitals ("UNESCO") or camel-case names ("iCapital").
* Exceptions are TeX style: "Buß-mann" allows only that break, "Dortmund"
  none. They match case-insensitively, and also match the genitive with a
  final "s" ("Dortmunds").

:meth:`Hyphenator.preferred` picks the breaks that are probably compound or
prefix boundaries; the patterns do not mark those, so this is a heuristic (see
its docstring).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from .memo import BoundedMemo
from .patterns import PatternTrie

__all__ = ["Hyphenator", "hyphenator_for"]

SOFT_HYPHEN = "\u00ad"
# ASCII hyphen-minus and U+2010 HYPHEN both count as hard hyphens.
_HARD_HYPHENS = frozenset("-\u2010")
_APOSTROPHES = frozenset("'\u2019")
_ODD = frozenset("13579")
_NO_HYPHENATION = re.compile(r"\d|@|://|www\.", re.IGNORECASE)
# The word without surrounding punctuation; trailing hyphens stay ("Klimaschutz-").
_CORE = re.compile(r"[^\W_](?:.*[^\W_]|[-\u2010\u00ad]*)?", re.DOTALL)
_CAMEL_CASE = re.compile(r"[a-zäöüß][A-ZÄÖÜ]")

# A path beside the module, not importlib.resources: that import alone costs ~15 ms, and
# the wheel installs the data as plain files.
_DATA = Path(__file__).parents[1] / "data" / "hyphenation"


class _PatternSet:
    """The patterns, exceptions and hyphen minimums of one language, loaded lazily."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._trie: PatternTrie | None = None
        self._exceptions: dict[str, tuple[int, ...]] | None = None

    @property
    def trie(self) -> PatternTrie:
        if self._trie is None:
            name = f"{self.code}.trie"
            self._trie = PatternTrie((_DATA / name).read_bytes(), name=name)
        return self._trie

    @property
    def exceptions(self) -> dict[str, tuple[int, ...]]:
        if self._exceptions is None:
            self._exceptions = _parse_exceptions(self.trie.exceptions, genitive=False)
        return self._exceptions

    def minimums(self) -> tuple[int, int]:
        """(lefthyphenmin, righthyphenmin); they are stored with the patterns."""
        return self.trie.left, self.trie.right


@cache
def _pattern_set(code: str) -> _PatternSet:
    return _PatternSet(code)


def _fold(text: str) -> str:
    """Lower-case without changing the length (so indices stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _parse_exceptions(entries: Iterable[str], *, genitive: bool) -> dict[str, tuple[int, ...]]:
    """TeX exception words ("Buß-mann") -> {folded word: break indices}."""
    result: dict[str, tuple[int, ...]] = {}
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        breaks: list[int] = []
        letters: list[str] = []
        for ch in entry:
            if ch in _HARD_HYPHENS or ch == SOFT_HYPHEN:
                breaks.append(len(letters))
            else:
                letters.append(ch)
        word = _fold("".join(letters))
        result[word] = tuple(breaks)
        # Names declined in the genitive ("Dortmunds") should follow the same rule.
        if genitive and not word.endswith("s"):
            result.setdefault(word + "s", tuple(breaks))
    return result


def _letters_before(text: str) -> list[int]:
    """``result[i]`` is the number of letters in ``text[:i]`` (one pass, so that checking
    every hyphen of a long word stays linear)."""
    counts = [0]
    total = 0
    for char in text:
        total += char.isalpha()
        counts.append(total)
    return counts


#: Words up to this length are remembered (see :meth:`Hyphenator.positions`); the longest
#: German dictionary words have about 80 letters.
_MEMO_LENGTH = 200
#: Words remembered per generation (text.memo): ~150 bytes each, so at most ~6 MB.
_MEMO_WORDS = 20_000


class Hyphenator:
    """Finds the allowed breaks of a word; calling it gives ReportLab's (head, tail) pairs."""

    def __init__(
        self,
        code: str,
        *,
        left_min: int | None = None,
        right_min: int | None = None,
        exceptions: Iterable[str] = (),
    ) -> None:
        """``code`` names a data file ("de", "en-us", "en-gb", "fr").

        ``left_min``/``right_min`` default to the pattern set's hyphen minimums
        (2/2 for German and French, 2/3 for English).
        """
        self.code = code
        self._patterns = _pattern_set(code)
        self._left_min = left_min
        self._right_min = right_min
        self._user_exceptions = _parse_exceptions(exceptions, genitive=True)
        # ReportLab asks for the same words again and again while it breaks lines, and a
        # batch or watch process sets the same vocabulary in every release.
        self._memo: BoundedMemo[str, tuple[int, ...]] = BoundedMemo(_MEMO_WORDS)

    @property
    def left_min(self) -> int:
        if self._left_min is None:
            # Read once: the breaker asks for every word, and the default never changes.
            self._left_min = self._patterns.minimums()[0]
        return self._left_min

    @property
    def right_min(self) -> int:
        if self._right_min is None:
            self._right_min = self._patterns.minimums()[1]
        return self._right_min

    def __repr__(self) -> str:
        return f"Hyphenator({self.code!r})"

    # -- public API -------------------------------------------------------

    def positions(self, word: str) -> list[int]:
        """Break indices into ``word``, ascending (``word[:i]`` is the head).

        Punctuation around the word ("„Städte“,") is skipped; ReportLab strips
        most of it before calling, other callers need not.
        """
        known = self._memo.get(word)
        if known is None:
            known = tuple(self._find_positions(word))
            # Only words of a sensible length are remembered: ReportLab asks again for the
            # rest of a very long word after every line, and keeping each of those rests
            # would hold memory quadratic in the word's length.
            if len(word) <= _MEMO_LENGTH:
                self._memo.put(word, known)
        return list(known)

    def _find_positions(self, word: str) -> list[int]:
        if not word or _NO_HYPHENATION.search(word):
            return []
        match = _CORE.search(word)
        if match is None:
            return []
        offset, core = match.start(), match.group(0)
        return [offset + p for p in self._core_positions(core)]

    def _core_positions(self, word: str) -> list[int]:
        left, right = self.left_min, self.right_min
        if SOFT_HYPHEN in word:
            return self._explicit_positions(word, left, right)
        result: list[int] = []
        start = 0
        letters = _letters_before(word)
        for index, ch in enumerate(word):
            if ch in _HARD_HYPHENS:
                result.extend(start + p for p in self._part_positions(word[start:index]))
                if letters[index] >= left and letters[-1] - letters[index + 1] >= right:
                    result.append(index + 1)
                start = index + 1
        result.extend(start + p for p in self._part_positions(word[start:]))
        return result

    def pairs(self, word: str) -> list[tuple[str, str]]:
        """``(head, tail)`` for every break, longest head first.

        The head carries no added hyphen; after a hard hyphen it ends with "-"
        (ReportLab then adds none). Soft hyphens are removed from the head.
        """
        result: list[tuple[str, str]] = []
        for p in reversed(self.positions(word)):
            head = word[:p]
            if SOFT_HYPHEN in head:
                head = head.replace(SOFT_HYPHEN, "")
            result.append((head, word[p:]))
        return result

    __call__ = pairs

    def hyphenate(self, word: str, sep: str = "-") -> str:
        """``word`` with ``sep`` at every break, e.g. "Deutsch-land".

        Hard hyphens are kept without an extra ``sep``; soft hyphens are removed.
        """
        pieces: list[str] = []
        prev = 0
        for p in self.positions(word):
            pieces.append(word[prev:p])
            if word[p - 1] not in _HARD_HYPHENS:
                pieces.append(sep)
            prev = p
        pieces.append(word[prev:])
        return "".join(pieces).replace(SOFT_HYPHEN, "")

    def preferred(self, word: str) -> list[int]:
        """The breaks of :meth:`positions` that are probably morpheme boundaries.

        TeX patterns give every allowed break the same weight, so this is a
        heuristic. A break counts as preferred when

        * it is at a hard or soft hyphen;
        * a consonant is followed by a vowel across it ("Bestands|aufnahme",
          "Treibhausgas|emissionen"): within one German stem a single consonant
          before a vowel always opens the next syllable ("Ha-se"), so a break
          before the vowel is a compound or prefix seam;
        * the head ends in a suffix plus linking s ("Innovations|hauptstadt",
          "Klimaanpassungs|maßnahmen");
        * the head or the tail is a frequent compound component from a short
          list ("Klima|...", "...|land", "...|stadt").

        Weak: breaks after prefixes also count ("Er|eignis"), foreign words
        split before a vowel ("in-ter|es-sant") count wrongly, and compounds
        of two consonant-joined words that are not in the lists ("Fort|schritt")
        are missed. Only German has the lists; other languages get the first two
        rules.
        """
        all_breaks = self.positions(word)
        if not all_breaks:
            return []
        if SOFT_HYPHEN in word:
            return all_breaks
        folded = _fold(word)
        german = self.code == "de"
        result = []
        for p in all_breaks:
            before, after = folded[p - 1], folded[p]
            if (
                before in _HARD_HYPHENS
                or (before in _CONSONANTS and after in _VOWELS)
                or (german and _is_german_seam(folded, p))
            ):
                result.append(p)
        return result

    def preferred_pairs(self, word: str) -> list[tuple[str, str]]:
        """Like :meth:`pairs`, but preferred breaks first (each group longest head first).

        A line breaker taking the first pair that fits then picks a compound
        seam whenever one fits, even if a syllable break would fill the line
        better; use :meth:`preferred` directly to weigh the two.
        """
        preferred = set(self.preferred(word))
        all_pairs = self.pairs(word)
        if not preferred:
            return all_pairs
        # pairs() is positions() reversed, so the head length identifies the break
        # only when no soft hyphen was removed; use the index order instead.
        ordered = list(reversed(self.positions(word)))
        first = [pair for pair, p in zip(all_pairs, ordered, strict=True) if p in preferred]
        rest = [pair for pair, p in zip(all_pairs, ordered, strict=True) if p not in preferred]
        return first + rest

    # -- internals --------------------------------------------------------

    def _explicit_positions(self, word: str, left: int, right: int) -> list[int]:
        result = []
        letters = _letters_before(word)
        for index, ch in enumerate(word):
            if (
                (ch == SOFT_HYPHEN or ch in _HARD_HYPHENS)
                and letters[index] >= left
                and letters[-1] - letters[index + 1] >= right
            ):
                result.append(index + 1)
        return result

    def _part_positions(self, part: str) -> list[int]:
        """Breaks inside one hyphen-free part of a word."""
        left, right = self.left_min, self.right_min
        if len(part) < left + right:
            return []
        key = _fold(part)
        breaks = self._user_exceptions.get(key)
        if breaks is None:
            breaks = self._patterns.exceptions.get(key)
        if breaks is not None:
            return [p for p in breaks if left <= p <= len(part) - right]
        if not all(c.isalpha() or c in _APOSTROPHES for c in part):
            return []
        # A possessive or elided ending ("Dortmund’s") is no syllable: break the stem only.
        if len(part) > 3 and part[-2] in _APOSTROPHES:
            return self._part_positions(part[:-2])
        # Names with letters German does not write (Ćosić, Józef, Wiśniewski) are not
        # German words: the German patterns would break them wrongly.
        if self.code == "de" and not _GERMAN_LETTERS.issuperset(key):
            return []
        # Acronyms and brand names in camel case break badly ("UNES-CO", "iCa-pi-tal").
        if part.isupper() or _CAMEL_CASE.search(part):
            return []
        return self._liang(key, left, right)

    def _liang(self, key: str, left: int, right: int) -> list[int]:
        trie = self._patterns.trie
        base, check, value, values = trie.base, trie.check, trie.value, trie.values
        word = f".{key}."
        n = len(word)
        # A letter no pattern has gets code 0, which ends every walk that reaches it: the
        # slot base[s] + 0 is never a child of s (children have codes from 1).
        codes = [trie.codes.get(letter, 0) for letter in word]
        # Digits compare correctly as one-character strings, so no int() is needed.
        points = ["0"] * (n + 1)
        for i in range(n):
            # Walk the trie along word[i:]: each slot passed is a prefix of some pattern,
            # and the patterns among them are the ones that start at word[i].
            state = 0
            for j in range(i, n):
                child = base[state] + codes[j]
                if check[child] != state:
                    break
                state = child
                found = value[state]
                if found:
                    for k, d in enumerate(values[found]):
                        if d > points[i + k]:
                            points[i + k] = d
        # points[m] is the value before word[m]; word[m] is key[m - 1].
        return [p for p in range(left, len(key) - right + 1) if points[p + 1] in _ODD]


_GERMAN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzäöüßéèêàâç'’")
_VOWELS = frozenset("aeiouyäöüáàâéèêëíìîïóòôúùûœæ")
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxzßçñ")


def _load_seams() -> dict[str, tuple[str, ...]]:
    """The German seam lists, by section, from ``data/hyphenation/de-seams.txt``."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (_DATA / "de-seams.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            current.append(line)
    return {name: tuple(words) for name, words in sections.items()}


# A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods from
# source at every import (~0.3 ms of a cold render each); its fields read the same.
class _Seams(NamedTuple):
    head_endings: tuple[str, ...]
    heads: frozenset[str]
    #: The longer heads, which also count as the end of a longer head.
    head_suffixes: tuple[str, ...]
    tails: tuple[str, ...]


@cache
def _seams() -> _Seams:
    lists = _load_seams()
    heads = lists["heads"]
    return _Seams(
        head_endings=lists["head endings"],
        heads=frozenset(heads),
        head_suffixes=tuple(sorted(word for word in heads if len(word) >= 5)),
        tails=lists["tails"],
    )


_LAST_LETTERS = re.compile(r"[^\W\d_]+$")


def _is_german_seam(folded: str, p: int) -> bool:
    # Only the letters of the current hyphen-free part count as the head.
    head_match = _LAST_LETTERS.search(folded, 0, p)
    head = head_match.group(0) if head_match else ""
    tail = folded[p:]
    seams = _seams()
    return (
        head.endswith(seams.head_endings)
        or head in seams.heads
        or (len(tail) >= 3 and head.endswith(seams.head_suffixes))
        or (len(head) >= 3 and tail.startswith(seams.tails))
    )


def _language_code(lang: str) -> str | None:
    """BCP 47 tag -> data file code, or None when no patterns are shipped."""
    subtags = [s for s in lang.strip().replace("_", "-").lower().split("-") if s]
    if not subtags:
        return None
    primary = subtags[0]
    # Skip a script subtag ("Latn") to reach the region.
    region = next((s for s in subtags[1:] if len(s) != 4), "")
    if primary in ("de", "gsw"):
        return "de"
    if primary == "en":
        return "en-us" if region in ("", "us") else "en-gb"
    if primary == "fr":
        return "fr"
    return None


@lru_cache(maxsize=64)
def _cached_hyphenator(code: str, exceptions: tuple[str, ...]) -> Hyphenator:
    return Hyphenator(code, exceptions=exceptions)


def hyphenator_for(lang: str, *, exceptions: Iterable[str] = ()) -> Hyphenator | None:
    """The hyphenator for a BCP 47 tag ("de-DE", "en-GB", "fr-FR"), or None.

    None means no patterns are shipped for that language, so nothing should be
    hyphenated. German variants (de-AT, de-CH) share the reformed patterns;
    "en" and "en-US" use American, other English regions British patterns.
    Hyphenators are cached per language and exception list.
    """
    code = _language_code(lang)
    if code is None:
        return None
    return _cached_hyphenator(code, tuple(exceptions))
