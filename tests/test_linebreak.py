"""The total-fit line breaker on fixed-width words (every character 1 unit wide).

In the style of fpdf2's ``test_line_break.py``: words of known width, a known measure, and
the lines that must come out. ``|`` in a word marks a hyphenation point (a hyphen, 1 unit,
is drawn if the line ends there).
"""

from __future__ import annotations

import itertools
import random
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medieninfo.text.linebreak import Item, Params, box, break_paragraph, glue, penalty

RAGGED = Params(line_stretch=4.0, short_last_width=4, short_last_demerits=10**6,
                hyphen_tail_demerits=10**7, tolerance=10000)  # fmt: skip


def items_of(text: str, *, hyphen_cost: float = 50) -> list[Item]:
    items: list[Item] = []
    for index, word in enumerate(text.split()):
        if index:
            items.append(glue(1.0))
        parts = word.split("|")
        for k, part in enumerate(parts):
            if k:
                items.append(penalty(1.0, hyphen_cost, flagged=True))
            items.append(box(float(len(part)), tag=part))
    return items


def lines_of(
    text: str, width: float | list[float], params: Params = RAGGED, **kw: float
) -> list[str]:
    items = items_of(text, **kw)
    result = break_paragraph(items, width, params)
    lines = []
    begin = 0
    for end in result.breaks:
        words: list[str] = []
        for item in items[begin:end]:
            if item.kind == 0:
                if words and words[-1] != " ":
                    words[-1] += str(item.tag)
                else:
                    words.append(str(item.tag))
            elif item.kind == 1 and words:
                words.append(" ")
        line = "".join(words).strip()
        if end < len(items) and items[end].kind == 2:
            line += "-"
        lines.append(line)
        begin = end + 1
        while begin < len(items) and items[begin].kind != 0:
            begin += 1
    return lines


def test_a_short_paragraph_is_one_line() -> None:
    assert lines_of("aaa bb cc", 20) == ["aaa bb cc"]


def test_total_fit_beats_first_fit() -> None:
    # First fit: "aaa bb" (6) / "cc" (2) / "ddddd": the middle line is 4 short. Total fit
    # spreads the gap over two lines: shortfalls 3 and 1 cost less than 0 and 4 (cubic).
    assert lines_of("aaa bb cc ddddd", 6) == ["aaa", "bb cc", "ddddd"]


def test_every_line_fits_the_measure() -> None:
    text = "Die Stadt Dortmund lädt alle Bürgerinnen und Bürger zur Eröffnung ein"
    for width in range(12, 40):
        for line in lines_of(text, width):
            assert len(line) <= width, (width, line)


def test_a_hyphen_is_taken_when_it_calms_the_rag() -> None:
    # Without the hyphen the first line is 9 short of 20 ("aaaa bbbb" would leave "c…").
    text = "aaaa bbbb cccc|dddd eeee ffff gggg"
    assert lines_of(text, 15) == ["aaaa bbbb cccc-", "dddd eeee ffff", "gggg"] or all(
        len(line) <= 15 for line in lines_of(text, 15)
    )
    assert lines_of(text, 15)[0].endswith("-")


def test_no_paragraph_ends_in_the_tail_of_a_hyphenated_word() -> None:
    # First fit would hyphenate "berücksich-|tigt" and leave "tigt." alone on the last line.
    text = "wird das Anliegen be|rück|sich|tigt."
    width = len("wird das Anliegen berücksich-")
    lines = lines_of(text, width)
    assert not (len(lines) > 1 and lines[-2].endswith("-") and " " not in lines[-1]), lines


def test_a_lone_short_word_on_the_last_line_is_avoided_when_possible() -> None:
    text = "aaaa bbbb cccc dddd eeee ff"
    lines = lines_of(text, 24)
    assert lines[-1] != "ff", lines


def test_two_hyphens_in_a_row_cost_double_hyphen_demerits() -> None:
    text = "xx aaaa|bbbb cc dddd|eeee ff gg hh"
    costly = Params(line_stretch=4.0, double_hyphen_demerits=10**9)
    lines = lines_of(text, 8, costly)
    ends = [line.endswith("-") for line in lines[:-1]]
    assert not any(a and b for a, b in itertools.pairwise(ends)), lines


def test_a_word_wider_than_the_measure_is_set_overfull_and_reported() -> None:
    items = items_of("aa bbbbbbbbbbbb cc")
    result = break_paragraph(items, 5, RAGGED)
    assert result.overfull, "the 12-unit word cannot fit 5 units and must be reported"
    assert len(result.breaks) == 3


def test_no_line_is_overfull_when_emergency_breaks_are_offered() -> None:
    items = items_of("aa b|b|b|b|b|b|b|b|b|b|b|b cc", hyphen_cost=5000)
    result = break_paragraph(items, 5, RAGGED)
    assert not result.overfull


def test_forced_break_and_first_line_width() -> None:
    items = items_of("aaa bbb ccc ddd")
    # A first line of 3 units, then 7.
    result = break_paragraph(items, [3, 7], RAGGED)
    assert lines_of("aaa bbb ccc ddd", [3, 7], Params(line_stretch=4.0)) == [
        "aaa",
        "bbb ccc",
        "ddd",
    ]
    assert len(result.breaks) == 3


def test_balanced_lines_do_not_end_in_one_word() -> None:
    text = "Kämmerer bringt Haushaltsentwurf 2027 ein"
    greedy_width = len("Kämmerer bringt Haushaltsentwurf 2027")
    balanced = Params(line_stretch=6.0, fill_last=False)
    lines = lines_of(text, greedy_width, balanced)
    assert len(lines) == 2 and " " in lines[-1], lines


def test_justified_text_uses_the_stretch_and_shrink_of_spaces() -> None:
    items = []
    for index in range(8):
        if index:
            items.append(glue(1.0, 0.5, 0.34))
        items.append(box(3.0))
    result = break_paragraph(items, 11, Params())
    # 3 words + 2 spaces = 11 exactly: a full line each, ratio 0.
    assert result.ratios[:-1] == [0.0] * (len(result.breaks) - 1)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=60),
    st.integers(min_value=12, max_value=40),
)
def test_property_lines_never_exceed_the_measure(lengths: list[int], width: int) -> None:
    text = " ".join("x" * n for n in lengths)
    lines = lines_of(text, width)
    assert all(len(line) <= width for line in lines)
    assert " ".join(lines).split() == text.split()


def _random_text(words: int, seed: int) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(words):
        n = rng.randint(2, 14)
        word = "x" * n
        if n > 6:
            word = word[:3] + "|" + word[3:]
        out.append(word)
    return " ".join(out)


def test_time_is_linear_in_the_paragraph() -> None:
    small, large = _random_text(5_000, 1), _random_text(40_000, 1)

    def timed(text: str) -> float:
        items = items_of(text)
        begin = time.perf_counter()
        break_paragraph(items, 60, RAGGED)
        return time.perf_counter() - begin

    t_small = min(timed(small) for _ in range(2))
    t_large = timed(large)
    # 8× the words: linear is 8×, quadratic 64×; allow noise on a shared machine.
    assert t_large < 20 * t_small + 0.05, (t_small, t_large)


def test_no_breakpoints_at_all() -> None:
    result = break_paragraph([box(30.0)], 10, RAGGED)
    assert result.breaks == [1] and result.overfull == [0]


@pytest.mark.parametrize("width", [8, 13, 21])
def test_every_word_in_order(width: int) -> None:
    text = "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf"
    assert " ".join(lines_of(text, width)).split() == text.split()


def test_a_url_tail_alone_on_the_last_line_is_avoided_too() -> None:
    # A break inside an address is an unflagged penalty (no hyphen); its tail alone on the
    # last line ("satzung.") is as bad as a hyphenated tail.
    items: list[Item] = []
    for index, word in enumerate(["regelt", "die", "Satzung", "unter"]):
        if index:
            items.append(glue(1.0))
        items.append(box(float(len(word)), tag=word))
    items.append(glue(1.0))
    items += [box(20.0, tag="https://www.edg.de/"), penalty(0.0, 50), box(8.0, tag="satzung.")]
    # 46 units: "regelt die Satzung unter https://www.edg.de/" (45) would fit, leaving
    # "satzung." alone; the line without the address is 22 short, which a stretch of 20
    # makes a moderate cost (badness ~130).
    params = Params(line_stretch=20.0, hyphen_tail_demerits=10**7, tolerance=10000)
    result = break_paragraph(items, 46, params)
    # Not "… unter https://www.edg.de/" / "satzung.": the whole address moves down.
    assert items[result.breaks[-2]].kind != 2, result.breaks


@settings(max_examples=300, deadline=None)
@example([4.5, 0.5, 4.5, 3.0], [False] * 60, 8.0)  # the tie
@given(
    st.lists(st.floats(min_value=0.5, max_value=9.0), min_size=2, max_size=60),
    st.lists(st.booleans(), min_size=60, max_size=60),
    st.floats(min_value=8.0, max_value=30.0),
)
def test_skipping_loose_nodes_changes_no_break(
    widths: list[float], hyphens: list[bool], measure: float
) -> None:
    """In ragged text (no stretch but the margin's, one measure) the breaker keeps every
    node after the first too-loose one without a look. A glue with a stretch too small to
    matter turns that off: the breaks must be the same both ways."""

    def paragraph(stretch: float) -> list[Item]:
        items: list[Item] = []
        for k, width in enumerate(widths):
            if k:
                items.append(glue(1.0, stretch if k == 1 else 0.0))
            if hyphens[k]:
                items.extend([box(width / 2), penalty(0.5, 50, flagged=True), box(width / 2)])
            else:
                items.append(box(width))
        return items

    params = Params(line_stretch=4.0, tolerance=1000, short_last_width=4,
                    short_last_demerits=10**5, hyphen_tail_demerits=10**6)  # fmt: skip
    fast = break_paragraph(paragraph(0.0), [measure, measure], params)
    full = break_paragraph(paragraph(1e-12), [measure, measure], params)
    assert fast.demerits == pytest.approx(full.demerits)
    if fast.breaks != full.breaks:
        # A tie: two breakings of the same demerits, which the tiny stretch tells apart by
        # rounding alone (widths 4.5, 0.5, 4.5, 3.0: "4.5 | 0.5 4.5 | 3.0" or
        # "4.5 0.5 | 4.5 | 3.0", the same two lines in either order). Both are optimal.
        assert fast.demerits == pytest.approx(full.demerits, rel=1e-12, abs=0), (
            fast.breaks,
            full.breaks,
        )


_TOKENS = st.one_of(
    st.tuples(st.just(0), st.integers(0, 9), st.just(0), st.just(0), st.just(0)),
    st.tuples(st.just(1), st.integers(0, 3), st.integers(0, 2), st.integers(0, 1), st.just(0)),
    st.tuples(st.just(2), st.integers(0, 2), st.just(0), st.just(0),
              st.sampled_from([-20, 0, 50, 10000])),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_TOKENS, min_size=1, max_size=50),
    st.lists(st.integers(6, 20), min_size=1, max_size=3),
    st.integers(0, 4),
    st.booleans(),
)
def test_each_line_is_measured_from_the_box_after_its_break(
    tokens: list[tuple[int, int, int, int, int]],
    measures: list[int],
    line_stretch: int,
    fill_last: bool,
) -> None:
    """The breaker finds where a line starts (the first box after the break before it,
    tex.web §879) only where it makes a node: each line's adjustment ratio must be the one
    of the line from the box found here item by item, runs of glue and penalties between
    boxes included. Whole numbers, so the sums are exact."""
    items = [box(8.0)]  # a paragraph starts with a box
    for kind, width, stretch, shrink, cost in tokens:
        if kind == 0:
            items.append(box(float(width)))
        elif kind == 1:
            items.append(glue(float(width), float(stretch), float(shrink)))
        else:
            items.append(penalty(float(width), float(cost), flagged=cost == 50))
    params = Params(line_stretch=float(line_stretch), tolerance=10000, fill_last=fill_last)
    result = break_paragraph(items, [float(m) for m in measures], params)

    # Sums before each item (a penalty is drawn only where a line ends); a line from a
    # break to a penalty right after it has a begin past its end, its sums then negative.
    def before(attribute: str) -> list[float]:
        values = [0.0 if item.kind == 2 else getattr(item, attribute) for item in items]
        return [0.0, *itertools.accumulate(values)]

    widths, stretches, shrinks = before("width"), before("stretch"), before("shrink")
    begin = 0
    for k, end in enumerate(result.breaks):
        length = widths[end] - widths[begin]
        if end < len(items) and items[end].kind == 2:
            length += items[end].width
        stretch = stretches[end] - stretches[begin] + line_stretch
        if end == len(items) and fill_last and begin < len(items):
            # The last line's fill; a line after the last box starts after the fill too.
            stretch += 1e9
        shrink = shrinks[end] - shrinks[begin]
        measure = measures[min(k, len(measures) - 1)]
        if length < measure:
            expected = (measure - length) / stretch if stretch > 0 else float("inf")
        elif length > measure:
            expected = (measure - length) / shrink if shrink > 0 else float("-inf")
        else:
            expected = 0.0
        assert result.ratios[k] == expected, (k, begin, end, items)
        begin = end + 1
        while begin < len(items) and items[begin].kind != 0:
            begin += 1
