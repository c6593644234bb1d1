#!/usr/bin/env python3
"""Compile TeX hyphenation patterns into medieninfo's precompiled data files.

The TeX sources are parsed once here so that the library only has to split a
text file at run time (about 8 ms for the 36 000 German patterns, against
40+ ms for parsing the TeX syntax on every start).

Output, per language, ``src/medieninfo/data/hyphenation/<code>.txt``::

    # comment lines
    left 2                  # lefthyphenmin of the pattern set
    right 2                 # righthyphenmin
    exceptions N            # then N lines, TeX style ("ta-ble")
    patterns N              # then N lines of letter strings, sorted,
                            # then N lines of digit strings (one digit per
                            # inter-letter position, len(letters) + 1)

plus ``LICENSE-<source>.txt`` with the copyright and licence header of every
source file, copied verbatim. Then run ``tools/pack_hyphenation.py``: a render reads the
patterns from the ``<code>.trie`` files it packs from these.

Sources (all found in Debian's TeX Live packages):

* de: dehyph-exptl ``dehyphn-x-2022-03-16.pat`` (texlive-lang-german)
* en-us: hyph-utf8 ``hyph-en-us`` + ``ushyphex.tex`` (texlive-lang-english,
  texlive-base)
* en-gb: hyph-utf8 ``hyph-en-gb`` (texlive-lang-english)
* fr: hyph-utf8 ``hyph-fr`` (texlive-lang-french)

Usage::

    python tools/compile_hyphenation.py [--texmf DIR ...]

``--texmf`` adds a texmf-dist root to search (default:
/usr/share/texlive/texmf-dist). Without installing the English and French
packages, ``apt-get download texlive-lang-english texlive-lang-french`` and
``dpkg-deb -x`` into a temporary directory give such a root.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "src" / "medieninfo" / "data" / "hyphenation"
DEFAULT_TEXMF = Path("/usr/share/texlive/texmf-dist")

HYPH_UTF8 = "tex/generic/hyph-utf8/patterns"


@dataclass
class Source:
    """One language's pattern file, optional exception files and licence headers."""

    code: str
    patterns: str  # relative to a texmf root
    exceptions: list[str] = field(default_factory=list)
    # (licence file stem, file whose header carries the licence)
    licences: list[tuple[str, str]] = field(default_factory=list)
    left: int = 2
    right: int = 2


SOURCES = [
    Source(
        code="de",
        patterns="tex/generic/dehyph-exptl/dehyphn-x-2022-03-16.pat",
        licences=[
            ("dehyph-exptl", "tex/generic/dehyph-exptl/dehyphn-x-2022-03-16.pat"),
        ],
        left=2,
        right=2,
    ),
    Source(
        code="en-us",
        patterns=f"{HYPH_UTF8}/txt/hyph-en-us.pat.txt",
        exceptions=[
            f"{HYPH_UTF8}/txt/hyph-en-us.hyp.txt",
            "tex/generic/hyphenex/ushyphex.tex",
        ],
        licences=[
            ("hyph-en-us", f"{HYPH_UTF8}/tex/hyph-en-us.tex"),
            ("ushyphex", "tex/generic/hyphenex/ushyphex.tex"),
        ],
        left=2,
        right=3,
    ),
    Source(
        code="en-gb",
        patterns=f"{HYPH_UTF8}/txt/hyph-en-gb.pat.txt",
        exceptions=[f"{HYPH_UTF8}/txt/hyph-en-gb.hyp.txt"],
        licences=[("hyph-en-gb", f"{HYPH_UTF8}/tex/hyph-en-gb.tex")],
        left=2,
        right=3,
    ),
    Source(
        code="fr",
        patterns=f"{HYPH_UTF8}/txt/hyph-fr.pat.txt",
        licences=[("hyph-fr", f"{HYPH_UTF8}/tex/hyph-fr.tex")],
        left=2,
        right=2,
    ),
]

_DIGIT = re.compile(r"\d")


def find(rel: str, roots: list[Path]) -> Path:
    for root in roots:
        path = root / rel
        if path.is_file():
            return path
    raise FileNotFoundError(f"{rel} not found under {', '.join(map(str, roots))}")


def tex_block(text: str, command: str) -> str | None:
    """Body of ``\\patterns{...}`` / ``\\hyphenation{...}`` or None."""
    start = text.find("\\" + command + "{")
    if start < 0:
        return None
    start = text.index("{", start) + 1
    return text[start : text.index("}", start)]


def strip_comments(text: str) -> str:
    return "\n".join(line.split("%", 1)[0] for line in text.splitlines())


def read_tokens(path: Path, command: str) -> list[str]:
    """Whitespace-separated entries of a .txt list or of a TeX block."""
    text = strip_comments(path.read_text(encoding="utf-8"))
    block = tex_block(text, command) if "\\" in text else text
    return block.split() if block else []


def parse_pattern(token: str) -> tuple[str, str]:
    """``"zza3t"`` -> ``("zzat", "00030")``."""
    letters: list[str] = []
    digits: list[str] = []
    pending = "0"
    for ch in token:
        if ch.isdigit():
            pending = ch
        else:
            digits.append(pending)
            letters.append(ch)
            pending = "0"
    digits.append(pending)
    return "".join(letters), "".join(digits)


def licence_header(path: Path) -> str:
    """Leading comment block of a TeX file, verbatim minus the ``%`` markers."""
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("\\") or (line and not line.startswith("%")):
            break
        lines.append(line[2:] if line.startswith("% ") else line.lstrip("%"))
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"


def compile_source(src: Source, roots: list[Path]) -> tuple[str, dict[str, str]]:
    pattern_path = find(src.patterns, roots)
    patterns: dict[str, str] = {}
    for token in read_tokens(pattern_path, "patterns"):
        letters, digits = parse_pattern(token)
        if letters in patterns and patterns[letters] != digits:
            raise ValueError(f"conflicting patterns for {letters!r} in {pattern_path}")
        patterns[letters] = digits

    exceptions: list[str] = []
    for rel in src.exceptions:
        exceptions.extend(read_tokens(find(rel, roots), "hyphenation"))
    # TeX treats exceptions case-insensitively; duplicates would only waste space.
    exceptions = sorted({e.lower() for e in exceptions})

    keys = sorted(patterns)
    out = [
        "# medieninfo hyphenation data, generated by tools/compile_hyphenation.py; do not edit.",
        f"# source: {Path(src.patterns).name}"
        + "".join(f", {Path(e).name}" for e in src.exceptions),
        f"left {src.left}",
        f"right {src.right}",
        f"exceptions {len(exceptions)}",
        *exceptions,
        f"patterns {len(keys)}",
        *keys,
        *(patterns[k] for k in keys),
    ]
    licences = {stem: licence_header(find(rel, roots)) for stem, rel in src.licences}
    return "\n".join(out) + "\n", licences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--texmf", action="append", type=Path, default=[])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument(
        "--only", action="append", default=[], help="language codes to build (default: all)"
    )
    args = parser.parse_args(argv)
    roots = [*args.texmf, DEFAULT_TEXMF]
    args.out.mkdir(parents=True, exist_ok=True)
    status = 0
    for src in SOURCES:
        if args.only and src.code not in args.only:
            continue
        try:
            data, licences = compile_source(src, roots)
        except FileNotFoundError as exc:
            print(f"skipping {src.code}: {exc}", file=sys.stderr)
            status = 1
            continue
        (args.out / f"{src.code}.txt").write_text(data, encoding="utf-8")
        for stem, text in licences.items():
            (args.out / f"LICENSE-{stem}.txt").write_text(text, encoding="utf-8")
        print(f"{src.code}: {data.count(chr(10))} lines", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
