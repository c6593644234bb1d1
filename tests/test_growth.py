"""Growth, not speed: every pathological input family costs about twice as much at twice the size.

Each family is rendered in this process at two sizes and the CPU times compared (CPU time
of this process, the fastest of three runs: on a shared machine that is steadier than the
clock). Linear work doubles; the quadratic paths these families used to hit (ReportLab
re-measuring the whole rest of a long word after every line, re-breaking a long headline for
every page, markdown-it scanning to the end of a paragraph from every ``[``) quadruple, so a
bound of 3x for doubling separates them with room for noise. Sizes are chosen so that a
family takes a second or two; ``benchmarks/growth.py`` runs the same families larger.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from medieninfo import render
from medieninfo.errors import InputError
from medieninfo.model.release import parse_release
from medieninfo.model.words import MAX_WORD_CHARS
from medieninfo.render import letterhead_for, render_release

#: Doubling the input may cost at most this factor (linear: 2; quadratic: 4).
RATIO = 3.0

URL = "https://www.example.org/pfad/zu/seite?x=1&y=2"
SOFT = "Kli\u00adma\u00adan\u00adpas\u00adsungs\u00admaß\u00adnah\u00admen"


def _repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _words(unit: str, length: int, count: int) -> str:
    """``count`` words of ``length`` characters made of ``unit``, one paragraph."""
    return " ".join([_repeat(unit, length)] * count)


def hyphen_chain(size: int) -> dict[str, str]:
    # Syllables joined by hard hyphens: a break point every third character.
    return {"body": _words("ab-cd-ef-gh-ij-kl-mn-", size, 6)}


def url_blob(size: int) -> dict[str, str]:
    return {"body": _words(URL, size, 6)}


def soft_hyphens(size: int) -> dict[str, str]:
    return {"body": _words(SOFT, size, 8)}


def long_subtitle(size: int) -> dict[str, str]:
    return {"body": "Ein Absatz.", "subtitle": _repeat("Wort ", size)}


def long_headline(size: int) -> dict[str, str]:
    return {"body": "Ein Absatz.", "headline": _repeat("Wort ", size)}


def links(size: int) -> dict[str, str]:
    return {"body": _repeat("[Link](https://a.de) ", size)}


def autolinks(size: int) -> dict[str, str]:
    return {"body": _repeat("<https://a.de> ", size)}


def images(size: int) -> dict[str, str]:
    # Every image is a photo now (issue #14), and these name no file: refused, not laid out.
    return {"body": _repeat("![Bild](b.png) ", size)}


def unclosed_link_target(size: int) -> dict[str, str]:
    return {"body": "[" + _repeat("<wort ", size)}


def unclosed_brackets(size: int) -> dict[str, str]:
    return {"body": _repeat("[a ", size)}


#: Family and the smaller of its two sizes (in characters of the part that grows).
FAMILIES: list[tuple[Callable[[int], dict[str, str]], int]] = [
    (hyphen_chain, 2_000),
    (url_blob, 2_400),
    (soft_hyphens, 1_500),
    (long_subtitle, 20_000),
    (long_headline, 15_000),
    (links, 25_000),
    (autolinks, 20_000),
    (unclosed_link_target, 25_000),
    (unclosed_brackets, 10_000),
]


def _release(fields: dict[str, str]) -> bytes:
    document = {"date": "2022-04-28", "headline": "Eine Überschrift", **fields}
    return yaml.safe_dump(document, allow_unicode=True).encode()


def _cpu_seconds(data: bytes) -> float:
    """CPU time of parsing, laying out and drawing ``data`` once.

    One layout: :func:`~medieninfo.render.render_release` lays a release out a second time
    when its last page is nearly empty, which happens at one size and not at the other and
    would double one side of the ratio.
    """
    # Each run starts from a collected heap, so that one run does not pay for the garbage
    # of the one before (and the larger size for more of it), and runs without the
    # collector: late in the suite the heap holds every earlier test's objects, and each
    # full collection the larger size triggers scans all of them (autolinks measured
    # 0.215 s -> 0.654 s there; alone it passes).
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        started = time.process_time()
        release = parse_release(data, name="<growth>", folder=Path.cwd())
        prepared = render.prepare(release, letterhead_for(release))
        rendered = render._lay_out(prepared, tight=False)
        spent = time.process_time() - started
    finally:
        if enabled:
            gc.enable()
    assert rendered.pages >= 1
    return spent


def _fastest(small: bytes, large: bytes, *, rounds: int = 3) -> tuple[float, float]:
    """The fastest of ``rounds`` runs of each size, the two sizes taking turns: a busy
    moment on a shared machine (another process on the other core slows this one's cache)
    then slows both sides alike instead of one."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        times[0].append(_cpu_seconds(small))
        times[1].append(_cpu_seconds(large))
    return min(times[0]), min(times[1])


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Imports, fonts and hyphenation patterns once, before anything is timed."""
    _cpu_seconds(_release({"body": "Ein Absatz mit Silben-Trennung und " + URL}))


@pytest.mark.parametrize(("family", "size"), FAMILIES, ids=[f.__name__ for f, _ in FAMILIES])
def test_doubling_the_input_at_most_triples_the_time(
    family: Callable[[int], dict[str, str]], size: int
) -> None:
    small, large = _fastest(_release(family(size)), _release(family(2 * size)))
    assert large / small < RATIO, f"{family.__name__}: {small:.3f} s -> {large:.3f} s"


def test_many_images_are_refused_in_linear_time() -> None:
    """100,000 images in one paragraph once took over a minute; now each is a photo that
    must exist, and the refusal grows with the input, no faster."""

    def refusal_seconds(size: int) -> float:
        data = _release(images(size))
        best = float("inf")
        for _ in range(2):
            started = time.process_time()
            release = parse_release(data, name="<growth>", folder=Path.cwd())
            with pytest.raises(InputError, match=r"photo 'b\.png' not found"):
                render.compose(release, letterhead_for(release))
            best = min(best, time.process_time() - started)
        return best

    small, large = refusal_seconds(30_000), refusal_seconds(60_000)
    assert large / small < RATIO, f"images: {small:.3f} s -> {large:.3f} s"


def test_the_families_stay_within_the_word_limit() -> None:
    """The growth tests above measure laying out, not refusing: every word is allowed."""
    for family, size in FAMILIES:
        for word in str(family(2 * size).get("body", "")).split():
            assert len(word) <= MAX_WORD_CHARS, family.__name__


def test_a_word_too_long_to_lay_out_is_refused_early_with_its_line() -> None:
    """4.9 MB in one word (26 s and 1.7 GB before): a message naming the line, at once."""
    body = "Erster Absatz.\n\nZweiter " + "a" * 4_900_000
    data = _release({"body": body})
    started = time.process_time()
    release = parse_release(data, name="big.yaml", folder=Path.cwd())
    with pytest.raises(InputError) as caught:
        render_release(release, letterhead_for(release))
    assert time.process_time() - started < 5
    problem = caught.value.problems[0]
    assert problem.line == (release.body_line or 0) + 2
    assert "a word of 4,900,000 characters" in problem.message
    assert f"at most {MAX_WORD_CHARS:,}" in problem.message


@pytest.mark.parametrize(
    "body",
    [_repeat(SOFT, 60_000), _repeat(URL, 160_000), _repeat("ab-cd-", 8_000)],
    ids=["soft hyphens, 60 KB", "url, 160 KB", "hyphen chain, 8 KB"],
)
def test_the_words_that_took_a_minute_are_refused_at_once(body: str) -> None:
    """These single words took 21 s, 21 s and 68 s to lay out; now they are refused."""
    started = time.process_time()
    release = parse_release(_release({"body": body}), name="r.yaml", folder=Path.cwd())
    with pytest.raises(InputError, match="body: a word of"):
        render_release(release, letterhead_for(release))
    assert time.process_time() - started < 1


@pytest.mark.parametrize("field", ["headline", "subtitle", "contact"])
def test_a_long_word_in_another_field_is_refused_too(field: str) -> None:
    data = _release({"body": "Ein Absatz.", field: "x" * (MAX_WORD_CHARS + 1)})
    release = parse_release(data, name="r.yaml", folder=Path.cwd())
    with pytest.raises(InputError, match=f"{field}: a word of"):
        render_release(release, letterhead_for(release))


@pytest.mark.parametrize("link", ["[a](https://a.de) ", "<https://a.de> ", "![b](c) ", "[a "])
def test_too_many_links_are_refused_with_the_line_of_the_first_too_many(link: str) -> None:
    body = "Absatz.\n\n" + link * 10_001
    release = parse_release(_release({"body": body}), name="r.yaml", folder=Path.cwd())
    with pytest.raises(InputError, match="more than 10,000 links and images") as caught:
        render_release(release, letterhead_for(release))
    assert caught.value.problems[0].line == (release.body_line or 0) + 2


def _lines(text: str, font: str) -> list[str]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from medieninfo.text.hyphenation import hyphenator_for

    hyphenator = hyphenator_for("de-DE")
    assert hyphenator is not None
    style = ParagraphStyle(
        "t",
        fontName=font,
        fontSize=10.5,
        splitLongWords=0,
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
        shaping=1,
        hyphenationLang=hyphenator.preferred_pairs,
        hyphenationMinWordLength=5,
    )
    paragraph = Paragraph(text.replace("&", "&amp;"), style)
    paragraph.wrap(240, 100_000)
    return ["".join(str(word.text) for word in line.words) for line in paragraph.blPara.lines]


@pytest.mark.parametrize(
    "text",
    [
        _repeat("Klima-Anpassungs-Maßnahmen-", 2_000),
        "Vorweg https://www.example.org/" + _repeat("pfad/", 1_500) + " danach",
        _repeat(SOFT, 1_500) + " und " + _repeat(SOFT, 900),
    ],
    ids=["compound chain", "url", "soft hyphens"],
)
def test_a_long_word_breaks_where_the_unbounded_breaker_breaks_it(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Showing ReportLab only the start of a long word picks the same breaks: the lines
    are those of ReportLab's own breaker, which sees the whole word."""
    from reportlab.platypus import paragraph

    from medieninfo.pdf import patches
    from medieninfo.pdf.fonts import register_family

    release = parse_release(_release({"body": "x"}), name="r.yaml", folder=Path.cwd())
    patches.apply()
    font = register_family(letterhead_for(release).fonts).family
    bounded = _lines(text, font)
    assert len(bounded) >= 3
    monkeypatch.setattr(paragraph, "_hyphenateFragWord", paragraph._hyphenateFragWord.original)
    monkeypatch.setattr(paragraph._SHYWord, "shyphenate", paragraph._SHYWord.shyphenate.original)
    assert bounded == _lines(text, font)


def test_a_chain_of_single_letters_fills_its_lines() -> None:
    """ReportLab's own breaker leaves a long chain of single letters on one overfull line;
    shown a line's worth at a time, it breaks after the last hyphen that fits."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from medieninfo.pdf import patches
    from medieninfo.pdf.fonts import register_family

    release = parse_release(_release({"body": "x"}), name="r.yaml", folder=Path.cwd())
    patches.apply()
    font = register_family(letterhead_for(release).fonts).family
    chain = _repeat("a-b-c-d-e-f-g-h-i-j-k-", 3_000)
    lines = _lines(chain, font)
    assert "".join(lines) == chain
    for line in lines[:-1]:
        width = stringWidth(line, font, 10.5)
        assert 240 - 2 * stringWidth("a-", font, 10.5) < width <= 240
