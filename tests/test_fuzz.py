"""Fuzzing load + validate + layout: every input gives a PDF or a MedieninfoError, nothing else.

Inputs are the example releases mutated byte-wise (flips, inserts, deletions, YAML/TOML and
Markdown tokens), releases generated field by field (written as YAML or TOML, with wrong
types, unknown keys and hostile Markdown), and mutated letterheads. Each goes through
``parse_release`` and ``render_release`` in-process; :class:`MedieninfoError` is the only
allowed failure, any other exception is a bug.

The normal test run does a quick slice (``QUICK`` examples). The dedicated long run::

    MEDIENINFO_FUZZ=20000 python -m pytest -q tests/test_fuzz.py -k long -s

collects every crash instead of stopping at the first, times each input, prints a summary
(inputs, PDFs, clean errors, crashes, slowest) and fails on any crash or any input that
took longer than ``SLOW_SECONDS``. Crashing inputs are saved under ``MEDIENINFO_FUZZ_OUT``
(default: the test's tmp_path) for replay.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from medieninfo.errors import MedieninfoError
from medieninfo.model.content import (
    CHUNK_CHARS,
    Paragraph,
    Span,
    parse_body,
    plain_text,
    split_long_paragraphs,
)
from medieninfo.model.release import parse_release
from medieninfo.render import letterhead_for, render_release

from conftest import EXAMPLES, pdf_pages

QUICK = 200
LONG = int(os.environ.get("MEDIENINFO_FUZZ", "0") or 0)
SLOW_SECONDS = 2.0

SEEDS = {
    "eu-mission.yaml": EXAMPLES / "eu-mission.yaml",
    "eu-mission.toml": EXAMPLES / "eu-mission.toml",
    "musterstadt.yaml": EXAMPLES / "musterstadt" / "release.yaml",
}

# Pieces that mean something to YAML, TOML, Markdown, ReportLab or a decoder.
TOKENS = [
    b"&a ",
    b"*a",
    b"<<: *a",
    b"[",
    b"]",
    b"{",
    b"}",
    b"[[",
    b"]]",
    b"{a = 1}",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\x1b",
    b"\x7f",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"- ",
    b": ",
    b"? ",
    b"#",
    b"'",
    b'"',
    b'"""',
    b"'''",
    b"\\",
    b'"\\ud800"',
    b'"\\x00"',
    b'"\\U0010ffff"',
    b"%YAML 1.1\n",
    b"---\n",
    b"...\n",
    b"!!binary ",
    b"!!python/object/apply:os.system ",
    b"!!str ",
    b"|",
    b">",
    b"|-",
    b"~",
    b"null",
    b"no",
    b"on",
    b"0753",
    b"0x1F",
    b"1e3",
    b".inf",
    b"nan",
    b"2022-02-30",
    b"2022-04-28T12:00:00+02:00",
    b"12:00",
    b" = ",
    b"**",
    b"*",
    b"_",
    b"`",
    b"```\n",
    b"~",
    b"^",
    b"## ",
    b"\n\n1. ",
    b"\n\n- ",
    b"\n    - ",
    b"> ",
    b"<br/>",
    b"[x](javascript:alert(1))",
    b"[x](file:///etc/passwd)",
    b"![x](/etc/passwd)",
    b"<img src='/etc/passwd'/>",
    b'<a href="javascript:x">',
    b"&amp;",
    b"&#0;",
    b"<para>",
    b"\xf0\x9f\x98\x80",
    b"\xe4\xb8\xad",
    b"\xcc\x81",
    b"\xe2\x80\xaf",
    b"\xc2\xad",
    "Donaudampfschifffahrtsgesellschaftskapitän ".encode(),
    b"x" * 3000,
    b"Wort und Satz. " * 400,
]


@dataclass
class Stats:
    """What the long run reports."""

    inputs: int = 0
    pdfs: int = 0
    errors: int = 0
    crashes: list[str] = field(default_factory=list)
    times: list[tuple[float, str]] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        slowest = sorted(self.times, reverse=True)[:5]
        over = sum(1 for seconds, _ in self.times if seconds > SLOW_SECONDS)
        return (
            f"fuzz: {self.inputs} inputs, {self.pdfs} PDFs, {self.errors} clean errors, "
            f"{len(self.crashes)} crashes, {over} over {SLOW_SECONDS} s; "
            f"by kind {dict(self.kinds)}; "
            f"slowest {[(round(s, 2), k) for s, k in slowest]}"
        )


@dataclass(frozen=True)
class Case:
    kind: str
    data: bytes
    fmt: str
    folder: Path
    #: Files to write into a scratch folder first (mutated letterheads).
    files: tuple[tuple[str, bytes], ...] = ()


# --------------------------------------------------------------------------- strategies


@cache
def _seed_bytes() -> dict[str, bytes]:
    return {name: path.read_bytes() for name, path in SEEDS.items()}


@st.composite
def mutated_examples(draw: st.DrawFn) -> Case:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(_seed_bytes()[name])
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["flip", "insert", "delete", "token", "duplicate", "cut"]))
        if operation == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 64))]
        elif operation == "token":
            data[position:position] = draw(st.sampled_from(TOKENS))
        elif operation == "duplicate":
            length = draw(st.integers(1, 200))
            data[position:position] = data[position : position + length]
        elif operation == "cut":
            del data[position:]
    fmt = "toml" if name.endswith(".toml") else "yaml"
    return Case(f"mutated-{fmt}", bytes(data), fmt, SEEDS[name].parent)


_WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHÄÖÜ0123456789 .,;:!?'\"()/"),
    min_size=1,
    max_size=12,
)
_MARKDOWN = st.sampled_from(
    [
        "**",
        "*",
        "_",
        "`",
        "~",
        "^",
        "[",
        "](",
        ")",
        "](https://example.org)",
        "](javascript:alert(1))",
        "](file:///etc/passwd)",
        "<https://x.de>",
        "<javascript:x>",
        "\n",
        "\n\n",
        "\n## ",
        "\n### ",
        "\n#### ",
        "\n- ",
        "\n  - ",
        "\n    - ",
        "\n1. ",
        "\n      - ",
        "\n> ",
        "\n    ",
        "\n```\n",
        "<",
        ">",
        "&",
        "&amp;",
        "&#x41;",
        "<br>",
        "![",
        "\\",
        "  \n",
        "\n---\n",
        "\n===\n",
        "<b>",
        "</b>",
        "<para>",
        "<font color='x'>",
        "\u202f",
        "\xa0",
        "\u00ad",
        "–",
        "„",
        "“",
        "\t",
    ]
)
_BODY = st.lists(st.one_of(_WORD, _MARKDOWN), min_size=1, max_size=60).map("".join)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(),
    st.sampled_from(
        [
            "no",
            "on",
            "~",
            "0753",
            "1e3",
            "28.4.2022",
            "2022-04-28 12:00",
            "31.2.2022",
            "28.4.2022, 12:00 Uhr",
            "25:61",
            "",
        ]
    ),
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3),
    ),
    max_leaves=8,
)


@st.composite
def generated_releases(draw: st.DrawFn) -> Case:
    release: dict[str, Any] = {}

    def maybe(key: str, good: st.SearchStrategy[Any], required: bool = False) -> None:
        if required or draw(st.booleans()):
            release[key] = draw(st.one_of(good, good, good, _VALUE))

    maybe("date", st.one_of(st.dates(), st.sampled_from(["28.4.2022", "2022-04-28"])), True)
    maybe("number", st.integers(0, 10**6))
    maybe("headline", _WORD.map(str.strip).filter(bool), True)
    maybe("subtitle", _BODY)
    maybe("body", _BODY, True)
    maybe("contact", _WORD)
    maybe("embargo", st.one_of(st.datetimes(), st.just("28.4.2022, 12:00 Uhr")))
    maybe(
        "letterhead",
        st.sampled_from(
            [
                "dortmund",
                "nope",
                "../x.yaml",
                "/etc/passwd",
                "",
                "/dev/zero",
                "/etc",
                "dortmund.toml",
            ]
        ),
    )
    maybe("lang", st.sampled_from(["de-DE", "en-GB", "fr", "xx", "de_DE", "a" * 40]))
    maybe("typography", st.sampled_from([True, False, "no", "yes"]))
    if draw(st.integers(0, 9)) == 0:
        release[draw(st.text(min_size=1, max_size=10))] = draw(_VALUE)
    for key in draw(st.lists(st.sampled_from(sorted(release)), max_size=2)):
        release.pop(key, None)
    fmt = draw(st.sampled_from(["yaml", "toml"]))
    data = _dump_toml(release) if fmt == "toml" else _dump_yaml(release, draw(st.booleans()))
    return Case(f"generated-{fmt}", data, fmt, EXAMPLES)


@st.composite
def mutated_letterheads(draw: st.DrawFn) -> Case:
    folder = EXAMPLES / "musterstadt"
    data = bytearray((folder / "letterhead.toml").read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            del data[position : position + draw(st.integers(1, 40))]
        else:
            data[position:position] = draw(
                st.sampled_from(
                    [
                        *TOKENS[:60],
                        b'"../../etc/passwd"',
                        b'"/dev/zero"',
                        b'"logo.png"',
                        b'"letterhead.toml"',
                        b'"javascript:x"',
                        b"\n[page]\nmargin_top_mm = 250\ntext_width_mm = 1\n",
                        b'\n[fonts]\nregular = "logo.png"\nbold = "letterhead.toml"\n',
                        b"\nlogo_width_mm = 9999\n",
                        b'\nlogo = "letterhead.toml"\n',
                    ]
                )
            )
    release = (folder / "release.yaml").read_bytes()
    files = (("letterhead.toml", bytes(data)), ("logo.png", (folder / "logo.png").read_bytes()))
    return Case("letterhead", release, "yaml", folder, files)


def _dump_yaml(release: dict[str, Any], unicode: bool) -> bytes:
    try:
        return yaml.safe_dump(release, allow_unicode=unicode, sort_keys=False).encode(
            "utf-8", "surrogatepass"
        )
    except (yaml.YAMLError, ValueError, TypeError):
        return repr(release).encode("utf-8", "surrogatepass")


def _dump_toml(release: dict[str, Any]) -> bytes:
    tables = {k: v for k, v in release.items() if isinstance(v, dict)}
    lines = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in release.items() if k not in tables]
    for key, table in tables.items():
        lines.append(f"[{_toml_key(key)}]")
        lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value).lower()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


CASES = st.one_of(
    mutated_examples(), mutated_examples(), generated_releases(), mutated_letterheads()
)


# --------------------------------------------------------------------------- the check


def run_case(case: Case, scratch: Path) -> str:
    """'pdf' or 'error'; any exception other than MedieninfoError propagates."""
    folder = case.folder
    if case.files:
        folder = scratch / "case"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, content in case.files:
            (folder / name).write_bytes(content)
    try:
        release = parse_release(case.data, name="fuzz", folder=folder, fmt=case.fmt)
        rendered = render_release(release, letterhead_for(release))
    except MedieninfoError as exc:
        assert str(exc), "a MedieninfoError needs a message"
        return "error"
    assert rendered.pdf.startswith(b"%PDF-") and b"%%EOF" in rendered.pdf[-32:]
    return "pdf"


def _fuzz(examples: int, scratch: Path, *, collect: bool) -> Stats:
    stats = Stats()
    out = Path(os.environ.get("MEDIENINFO_FUZZ_OUT") or scratch / "crashes")

    @settings(
        max_examples=examples,
        deadline=None,
        database=None if collect else settings.default.database,
        phases=[Phase.generate] if collect else list(Phase),
        suppress_health_check=list(HealthCheck),
    )
    @given(case=CASES)
    def run(case: Case) -> None:
        stats.inputs += 1
        stats.kinds[case.kind] += 1
        start = time.perf_counter()
        try:
            outcome = run_case(case, scratch)
        except Exception:
            if not collect:
                raise
            out.mkdir(parents=True, exist_ok=True)
            saved = out / f"crash-{len(stats.crashes):04d}.{case.fmt}"
            saved.write_bytes(case.data)
            stats.crashes.append(f"{saved}: {traceback.format_exc(limit=-3)}")
            return
        finally:
            stats.times.append((time.perf_counter() - start, case.kind))
        if outcome == "pdf":
            stats.pdfs += 1
        else:
            stats.errors += 1

    run()
    return stats


def test_fuzz_quick_slice(tmp_path: Path) -> None:
    stats = _fuzz(QUICK, tmp_path, collect=False)
    # Both outcomes must occur, or the generators have drifted into testing nothing.
    assert stats.pdfs > 0 and stats.errors > 0, stats.summary()


@pytest.mark.skipif(not LONG, reason="long fuzz run: set MEDIENINFO_FUZZ=20000")
def test_fuzz_long_run(tmp_path: Path) -> None:
    stats = _fuzz(LONG, tmp_path, collect=True)
    print(stats.summary())
    for crash in stats.crashes[:20]:
        print(crash)
    assert not stats.crashes, stats.summary()
    slow = [(seconds, kind) for seconds, kind in stats.times if seconds > SLOW_SECONDS]
    assert not slow, stats.summary()


# --------------------------------------------------------------------------- nothing lost


@cache
def _printable_alphabet() -> str:
    """Characters the bundled regular font has and Markdown leaves alone."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    from medieninfo.assets import assets_dir

    font = TTFontFile(str(assets_dir() / "fonts" / "NotoSans-Regular.ttf"))
    ranges = [*range(0x21, 0x7F), *range(0xA1, 0x180), *range(0x391, 0x3CA), *range(0x410, 0x450)]
    markdown = set("*_`[]\\<>#~^-+=|!&")  # & and < are tested literally in test_markup.py
    return "".join(
        chr(code)
        for code in ranges
        if code in font.charToGlyph and chr(code) not in markdown and code != 0xAD
    )


def _squashed(text: str) -> str:
    # Whitespace moves at line ends, and the hyphenator adds '-': neither is in the input.
    return re.sub(r"[\s\-\u00ad]+", "", text)


@st.composite
def printable_text(draw: st.DrawFn) -> str:
    words = draw(
        st.lists(
            st.text(st.sampled_from(_printable_alphabet()), min_size=1, max_size=14),
            min_size=1,
            max_size=80,
        )
    )
    # A leading digit and '.' or ')' would start a numbered list.
    return "W" + " ".join(words)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(headline=printable_text(), body=printable_text())
def test_every_character_reaches_the_pdf_in_order(headline: str, body: str) -> None:
    data = yaml.safe_dump(
        {"date": "2022-04-28", "headline": headline, "body": body, "typography": False},
        allow_unicode=True,
    ).encode()
    release = parse_release(data, name="prop", folder=EXAMPLES)
    rendered = render_release(release, letterhead_for(release))
    text = _squashed("".join(pdf_pages(rendered.pdf)))
    assert _squashed(headline) in text
    assert _squashed(body) in text


# --------------------------------------------------------------------------- chunking


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(st.sampled_from("ab. \u202f\xa0!?"), min_size=1, max_size=30),
        min_size=1,
        max_size=300,
    ),
    limit=st.integers(20, 400),
    breaks=st.lists(st.integers(0, 300), max_size=5),
)
def test_long_paragraphs_are_cut_at_spaces_without_losing_text(
    words: list[str], limit: int, breaks: list[int]
) -> None:
    spans = [Span(word + " ", bold=index % 3 == 0) for index, word in enumerate(words)]
    for position in sorted(set(breaks), reverse=True):
        spans.insert(min(position, len(spans)), Span("\n"))
    paragraph = Paragraph(tuple(spans), line=7)
    pieces = split_long_paragraphs([paragraph], limit)
    assert all(isinstance(piece, Paragraph) and piece.line == 7 for piece in pieces)
    assert [piece.continues for piece in pieces] == [True] * (len(pieces) - 1) + [False]
    joined = "".join(plain_text(piece.spans) for piece in pieces)  # type: ignore[union-attr]
    assert re.sub(r"[ \n]", "", joined) == re.sub(r"[ \n]", "", plain_text(paragraph.spans))
    for piece in pieces:
        text = plain_text(piece.spans)  # type: ignore[union-attr]
        # A piece overruns only where no breakable space allowed an earlier cut.
        if len(text) > limit:
            assert " " not in text[1:limit]


def test_a_huge_paragraph_becomes_pieces_that_keep_every_word() -> None:
    body = "Ein Satz mit z.\u202fB. neun Wörtern steht hier. " * 3000
    blocks = parse_body(body)
    assert len(blocks) > 30
    assert all(len(plain_text(block.spans)) <= CHUNK_CHARS + 60 for block in blocks)  # type: ignore[union-attr]
    assert " ".join(plain_text(b.spans) for b in blocks).split() == body.split()  # type: ignore[union-attr]
    assert all(plain_text(b.spans).endswith("hier.") for b in blocks)  # type: ignore[union-attr]


def test_lists_deeper_than_the_limit_are_flattened_keeping_their_text() -> None:
    from medieninfo.model.content import MAX_LIST_DEPTH, ListBlock

    body = "".join("  " * level + f"- Ebene{level}\n" for level in range(MAX_LIST_DEPTH + 4))
    blocks = parse_body(body)

    def depth(blocks: list[Any]) -> int:
        return max(
            [
                1 + max([depth(list(item)) for item in b.items] + [0])
                for b in blocks
                if isinstance(b, ListBlock)
            ]
            + [0]
        )

    def words(blocks: list[Any]) -> list[str]:
        out: list[str] = []
        for block in blocks:
            if isinstance(block, ListBlock):
                for item in block.items:
                    out += words(list(item))
            else:
                out += plain_text(block.spans).split()
        return out

    assert depth(blocks) == MAX_LIST_DEPTH
    assert words(blocks) == [f"Ebene{level}" for level in range(MAX_LIST_DEPTH + 4)]
