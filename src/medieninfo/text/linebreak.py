"""Total-fit paragraph breaking (Knuth and Plass, as TeX does it), on numbers only.

A paragraph is a list of items, as in *Breaking paragraphs into lines* (Knuth and Plass,
1981) and tex.web §813ff:

* a **box** is something of fixed width (a word, or the part of a word between two
  hyphenation points);
* **glue** is a space: a natural width that may stretch or shrink; a line may end at
  glue that follows a box, and the glue then disappears;
* a **penalty** is a place where a line may end at a cost (a hyphenation point, a break
  in a URL), with the width of what is drawn if it does (the hyphen); ``flagged``
  penalties are hyphens, for the cost of two in a row.

:func:`break_paragraph` chooses the breaks that minimise the sum of the demerits of all
lines, not line by line (first fit). The demerits of a line are TeX's:
``(line_penalty + badness)² ± penalty²``, plus ``double_hyphen_demerits`` when it and the
line before both end in a hyphen, ``final_hyphen_demerits`` when the next-to-last line
ends in one, and ``adj_demerits`` when two adjacent lines are of very different fill
(fitness classes more than one apart). Badness is ``100·r³`` of the adjustment ratio
``r`` (how much of the line's stretch or shrink is used).

Ragged-right text is TeX's ``\\raggedright`` of plain TeX: spaces do not stretch; each
line's right margin stretches by ``line_stretch`` (plain TeX: ``0pt plus 2em``), a finite
amount, so a line far short of the measure is bad and the rag stays calm. The last line
has infinite stretch (``\\parfillskip``), unless ``fill_last=False``, which balances all
lines (for headlines). Two costs TeX has no counter for are added for the last line: a
lone short word (``short_last_demerits``) and a last line that is only the tail of a
hyphenated word (``hyphen_tail_demerits``; any word broken at a penalty, a URL too: the
last line holds no glue and the line before it ended at a penalty).

Cost: the usual active-node list, with nodes dropped when the line from them would be
overfull and at most ``max_active`` kept, so time is linear in the number of items
(times the breakpoints that fit on one line). A first pass accepts only lines up to
``tolerance``; if that finds no breaking, a second accepts any line that is not overfull
and, as TeX's final pass does, a line that is overfull when nothing else is possible
(reported in :attr:`Breaking.overfull`). The caller should make that impossible by
offering emergency breakpoints inside anything wider than the measure.

Pure Python and pure numbers: widths come from whoever builds the items (the PDF stage
measures them with the fonts); this module draws nothing and imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "BOX",
    "GLUE",
    "INFINITY",
    "PENALTY",
    "Breaking",
    "Item",
    "Params",
    "box",
    "break_paragraph",
    "glue",
    "penalty",
]

BOX, GLUE, PENALTY = 0, 1, 2
#: A penalty of at least this forbids a break, of at most its negative forces one (TeX).
INFINITY = 10000
#: TeX's inf_bad: the badness of a line that cannot stretch enough.
_INF_BAD = 10000
#: Stretch that makes any shortfall free: the last line's fill (TeX's ``fil``).
_FIL = 1e9
_AWFUL = float("inf")


class Item:
    """One box, glue or penalty; ``tag`` is the caller's, handed back untouched."""

    __slots__ = ("flagged", "kind", "penalty", "shrink", "stretch", "tag", "width")

    def __init__(
        self,
        kind: int,
        width: float,
        *,
        stretch: float = 0.0,
        shrink: float = 0.0,
        penalty: float = 0.0,
        flagged: bool = False,
        tag: object = None,
    ) -> None:
        self.kind = kind
        self.width = width
        self.stretch = stretch
        self.shrink = shrink
        self.penalty = penalty
        self.flagged = flagged
        self.tag = tag

    def __repr__(self) -> str:
        name = ("box", "glue", "penalty")[self.kind]
        return f"{name}({self.width:g}, p={self.penalty:g}{', flagged' if self.flagged else ''})"


def box(width: float, tag: object = None) -> Item:
    return Item(BOX, width, tag=tag)


def glue(width: float, stretch: float = 0.0, shrink: float = 0.0, tag: object = None) -> Item:
    return Item(GLUE, width, stretch=stretch, shrink=shrink, tag=tag)


def penalty(width: float, cost: float, *, flagged: bool = False, tag: object = None) -> Item:
    return Item(PENALTY, width, penalty=cost, flagged=flagged, tag=tag)


class Params:
    """The knobs; the defaults are plain TeX's (``\\linepenalty=10``, ``\\adjdemerits=10000``,
    ``\\doublehyphendemerits=10000``, ``\\finalhyphendemerits=5000``), with the right margin
    of ``\\raggedright`` left to the caller (``line_stretch``, in the items' unit)."""

    __slots__ = (
        "adj_demerits",
        "double_hyphen_demerits",
        "fill_last",
        "final_hyphen_demerits",
        "hyphen_tail_demerits",
        "line_penalty",
        "line_stretch",
        "max_active",
        "short_last_demerits",
        "short_last_width",
        "tolerance",
    )

    def __init__(
        self,
        *,
        line_stretch: float = 0.0,
        line_penalty: float = 10,
        adj_demerits: float = 10000,
        double_hyphen_demerits: float = 10000,
        final_hyphen_demerits: float = 5000,
        hyphen_tail_demerits: float = 0,
        short_last_demerits: float = 0,
        short_last_width: float = 0.0,
        tolerance: float = 200,
        fill_last: bool = True,
        max_active: int = 48,
    ) -> None:
        self.line_stretch = line_stretch
        self.line_penalty = line_penalty
        self.adj_demerits = adj_demerits
        self.double_hyphen_demerits = double_hyphen_demerits
        self.final_hyphen_demerits = final_hyphen_demerits
        self.hyphen_tail_demerits = hyphen_tail_demerits
        self.short_last_demerits = short_last_demerits
        self.short_last_width = short_last_width
        self.tolerance = tolerance
        self.fill_last = fill_last
        self.max_active = max_active


class Breaking:
    """The chosen breaks: ``breaks[k]`` is the index of the item line ``k`` ends at
    (``len(items)`` for the end of the paragraph); ``ratios[k]`` its adjustment ratio;
    ``overfull`` the lines that had to be set wider than the measure."""

    __slots__ = ("breaks", "demerits", "overfull", "ratios")

    def __init__(
        self, breaks: list[int], ratios: list[float], overfull: list[int], demerits: float
    ) -> None:
        self.breaks = breaks
        self.ratios = ratios
        self.overfull = overfull
        self.demerits = demerits


class _Node:
    """A feasible break: where it is, the line it ends, its class and the best total to it."""

    __slots__ = (
        "after",
        "begin",
        "demerits",
        "fitness",
        "flagged",
        "in_word",
        "line",
        "measure",
        "overfull",
        "position",
        "previous",
        "ratio",
    )

    def __init__(
        self,
        begin: int,
        position: int,
        line: int,
        fitness: int,
        demerits: float,
        ratio: float,
        previous: _Node | None,
        overfull: bool,
        flagged: bool,
        measure: float,
        in_word: bool = False,
        after: int = 0,
    ) -> None:
        self.begin = begin  # the item the next line starts at
        self.position = position
        self.line = line
        self.fitness = fitness
        self.demerits = demerits
        self.ratio = ratio
        self.previous = previous
        self.overfull = overfull
        self.flagged = flagged  # the break is a hyphen
        self.measure = measure  # the width of the next line
        self.in_word = in_word  # the break is at a penalty (inside a word)
        self.after = after  # the line the next line is, for its measure (classes: _run)


def break_paragraph(
    items: Sequence[Item], widths: float | Sequence[float], params: Params | None = None
) -> Breaking:
    """Break ``items`` into lines of ``widths`` (one number, or one per line with the last
    repeated) at the least total demerits. The paragraph end is added here: a fill (unless
    ``params.fill_last`` is off) and a forced break."""
    params = params or Params()
    measures = [float(widths)] if isinstance(widths, (int, float)) else [float(w) for w in widths]
    if not measures:
        raise ValueError("no line width given")
    content = list(items)
    count = len(content)
    if params.fill_last:
        # TeX's \penalty10000 \parfillskip: the fill itself is no place to break.
        content.append(penalty(0.0, INFINITY))
        content.append(glue(0.0, _FIL))
    content.append(penalty(0.0, -INFINITY))
    result = _run(content, measures, params, params.tolerance, final=False)
    if result is None:
        result = _run(content, measures, params, float(_INF_BAD), final=True)
    assert result is not None  # the final pass always ends with a node
    end = len(content) - 1
    breaks = [min(position, count) if position != end else count for position in result.breaks]
    return Breaking(breaks, result.ratios, result.overfull, result.demerits)


def _run(
    items: list[Item], measures: list[float], params: Params, tolerance: float, *, final: bool
) -> Breaking | None:
    n = len(items)
    # Prefix sums of width, stretch and shrink before each item (one store each: a tuple
    # assignment of four builds a tuple per item).
    sum_w = [0.0] * (n + 1)
    sum_y = [0.0] * (n + 1)
    sum_z = [0.0] * (n + 1)
    w = y = z = 0.0
    kinds = [item.kind for item in items]
    # Whether only the last line's fill stretches (ragged and balanced text): then a line
    # from a later break is always looser than one from an earlier break (below).
    stretchless = True
    for i, item in enumerate(items):
        sum_w[i] = w
        sum_y[i] = y
        sum_z[i] = z
        if item.kind != PENALTY:
            w += item.width
            if item.stretch:
                y += item.stretch
                stretchless = stretchless and item.stretch >= _FIL
            z += item.shrink
    sum_w[n], sum_y[n], sum_z[n] = w, y, z
    # Where a line starts after a break at b: at the next box (glue and penalties after a
    # break are discarded, tex.web §879), found only where a node is made, by list.index
    # from the break on, and kept while the breaks pass it (each item searched once). A
    # box after the last item stands for the paragraph's end.
    kinds.append(BOX)
    next_box = 0

    last_measure = len(measures) - 1
    # With one measure and no stretch but the right margin's, the active nodes (in order
    # of position) give ever shorter lines: once one is too loose to end at a break, so is
    # every node after it, and they are all kept without a look (most of the list, most
    # of the time: the nodes of the last few breaks).
    monotone = stretchless and len(set(measures)) == 1
    line_stretch = params.line_stretch
    line_penalty = params.line_penalty
    max_active = params.max_active
    # The adjustment ratio beyond which a stretched line exceeds the tolerance.
    ratio_limit = (tolerance / 100.0) ** (1 / 3) if tolerance < _INF_BAD else _AWFUL
    end = n - 1
    fill_last = params.fill_last
    double_hyphen = params.double_hyphen_demerits
    adj_demerits = params.adj_demerits
    # A node's next line begins at the box after its break (the paragraph at item 0).
    start = _Node(0, 0, 0, 2, 0.0, 0.0, None, False, False, measures[0], False,
                  1 if last_measure > 0 else last_measure)  # fmt: skip
    active: list[_Node] = [start]
    # The first node's sums and measure, for the test below (read at most breakpoints).
    first_w, first_y, first_measure = 0.0, 0.0, measures[0]

    for b in range(n):
        kind = kinds[b]
        if kind == BOX:
            continue
        item = items[b]
        if kind == GLUE:
            if b == 0 or kinds[b - 1] != BOX:
                continue
            pen = 0.0
            flagged = False
            break_width = 0.0
        else:
            pen = item.penalty
            if pen >= INFINITY:
                continue
            flagged = item.flagged
            break_width = item.width
        forced = pen <= -INFINITY
        is_last = b == end
        width_here = sum_w[b] + break_width
        stretch_here = sum_y[b] + line_stretch
        if monotone and not forced:
            # When even the longest line, from the first node, is too loose to end here,
            # so is every other: no line ends and no node goes (about half the breakpoints
            # of ragged text: the first words after the oldest active break).
            length = width_here - first_w
            if length < first_measure:
                stretch = stretch_here - first_y
                if stretch > 0 and (first_measure - length) / stretch > ratio_limit:
                    continue
        best: dict[tuple[int, int], tuple[float, _Node, float, bool]] = {}
        keep: list[_Node] = []
        lowest = _AWFUL  # the least demerits of a line ending here
        for index, node in enumerate(active):
            begin = node.begin
            length = width_here - sum_w[begin]
            measure = node.measure
            if length < measure:
                stretch = stretch_here - sum_y[begin]
                if stretch <= 0:
                    ratio = _AWFUL
                    badness = float(_INF_BAD)
                else:
                    ratio = (measure - length) / stretch
                    if ratio > ratio_limit and not forced:
                        # Too loose to end here, and still active: the common case for the
                        # nodes of the last few breaks, so decided before any demerits.
                        if monotone:
                            keep.extend(active[index:])
                            break
                        keep.append(node)
                        continue
                    badness = min(100.0 * ratio**3, float(_INF_BAD))
            elif length > measure:
                shrink = sum_z[b] - sum_z[begin]
                ratio = (measure - length) / shrink if shrink > 0 else -_AWFUL
                badness = 100.0 * (-ratio) ** 3 if ratio >= -1 else _AWFUL
            else:
                ratio = 0.0
                badness = 0.0
            overfull = ratio < -1
            deactivate = overfull or forced
            feasible = not overfull and badness <= tolerance
            emergency = False
            if (
                final
                and not feasible
                and deactivate
                and not best
                and index == len(active) - 1
                and not keep
            ):
                # TeX's final pass (tex.web §854): the last active node may not vanish
                # without a successor, so this line is taken whatever it looks like.
                feasible = True
                emergency = overfull
                badness = float(_INF_BAD)
            if feasible:
                d = line_penalty + badness
                d *= d
                if pen:  # most breaks are spaces, at no cost
                    if pen > 0:
                        d += pen * pen
                    elif pen > -INFINITY:
                        d -= pen * pen
                previous_flagged = node.flagged
                if flagged and previous_flagged:
                    d += double_hyphen
                if is_last:
                    if previous_flagged:
                        d += params.final_hyphen_demerits
                    # The spaces of the last line, counted only here (few nodes).
                    lone = kinds[begin:b].count(GLUE) <= (1 if fill_last else 0)
                    if lone and node is not start:
                        if node.in_word:
                            d += params.hyphen_tail_demerits
                        elif length < params.short_last_width:
                            d += params.short_last_demerits
                # TeX's fitness classes (tex.web §817), inline: this runs for every
                # feasible line. 0 very loose, 1 loose, 2 decent, 3 tight.
                if is_last and fill_last:
                    fitness = 2
                elif ratio < 0:
                    fitness = 3 if badness > 12 else 2
                else:
                    fitness = 0 if badness > 99 else 1 if badness > 12 else 2
                if abs(fitness - node.fitness) > 1:
                    d += adj_demerits
                d += node.demerits
                key = (fitness, node.after)
                current = best.get(key)
                if current is None or d < current[0]:
                    best[key] = (d, node, ratio, emergency)
                    if d < lowest:
                        lowest = d
            if not deactivate:
                keep.append(node)
        # A node more than adj_demerits above the best at this break can never win (tex.web
        # §836: the classes worth keeping).
        # Most breakpoints end no line at all (every node too loose): nothing to add.
        if best:
            limit = lowest + adj_demerits
            if next_box <= b:
                next_box = kinds.index(BOX, b + 1)
            for (fitness, _), (d, node, ratio, emergency) in sorted(best.items()):
                if d > limit:
                    continue
                line = node.line + 1
                measure = measures[line if line < last_measure else last_measure]
                after = line + 1 if line < last_measure else last_measure
                keep.append(
                    _Node(
                        next_box,
                        b,
                        line,
                        fitness,
                        d,
                        ratio,
                        node,
                        emergency,
                        flagged,
                        measure,
                        kind == PENALTY,
                        after,
                    )
                )
        if len(keep) > max_active:
            # Bound the work per breakpoint: keep the most promising nodes.
            keep.sort(key=lambda node: node.demerits)
            del keep[max_active:]
            keep.sort(key=lambda node: node.position)
        active = keep
        if not active:
            return None
        first = active[0]
        first_w, first_y, first_measure = sum_w[first.begin], sum_y[first.begin], first.measure
    finals = [node for node in active if node.position == end]
    if not finals:
        return None
    chosen = min(finals, key=lambda node: node.demerits)
    breaks: list[int] = []
    ratios: list[float] = []
    flags: list[bool] = []
    walk: _Node | None = chosen
    while walk is not None and walk.previous is not None:
        breaks.append(walk.position)
        ratios.append(walk.ratio)
        flags.append(walk.overfull)
        walk = walk.previous
    breaks.reverse()
    ratios.reverse()
    flags.reverse()
    return Breaking(breaks, ratios, [k for k, flag in enumerate(flags) if flag], chosen.demerits)
