"""Release numbers, counted per year: the next free one, numbers given twice, gaps.

A press office numbers its releases within each year (Dortmund's no. 753 of 2022). The
next number is the highest number of the year + 1, so a release deleted from the middle
never has its number reused, and a folder without releases of that year starts at ``first``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import pairwise

from ..errors import Problem
from ..model.release import Release


def next_number(
    claimed: Iterable[tuple[int | None, int | None]], *, year: int, first: int = 1
) -> int:
    """The number a new release of ``year`` gets: the year's highest + 1, else ``first``.
    ``claimed`` holds (year, number) of every release file, valid or not
    (:attr:`~.catalogue.Entry.year_and_number`)."""
    numbers = [n for y, n in claimed if y == year and n is not None]
    return max(numbers) + 1 if numbers else first


def duplicates(releases: Iterable[Release]) -> list[Problem]:
    """An error for each release whose number another release of the same year also has,
    at the line of its ``number``; each names the other files."""
    by_number: dict[tuple[int, int], list[Release]] = defaultdict(list)
    for release in releases:
        if release.number is not None:
            by_number[(release.date.year, release.number)].append(release)
    problems = []
    for (year, number), sharing in sorted(by_number.items()):
        if len(sharing) < 2:
            continue
        for release in sharing:
            others = ", ".join(r.source for r in sharing if r is not release)
            problems.append(
                Problem(
                    release.source,
                    f"number: {number} of {year} is also the number of {others}; "
                    "give one of them another number (medieninfo new picks the next free one)",
                    release.lines.get("number"),
                )
            )
    return problems


def gaps(releases: Iterable[Release]) -> list[Problem]:
    """A warning for each run of numbers missing within a year, at the release numbered
    next after the gap (a release withdrawn, or a number typed wrong)."""
    by_year: dict[int, dict[int, Release]] = defaultdict(dict)
    for release in releases:
        if release.number is not None:
            by_year[release.date.year].setdefault(release.number, release)
    problems = []
    for year, numbered in sorted(by_year.items()):
        numbers = sorted(numbered)
        for before, after in pairwise(numbers):
            if after - before > 1:
                missing = f"{before + 1}" if after - before == 2 else f"{before + 1}–{after - 1}"
                release = numbered[after]
                problems.append(
                    Problem(
                        release.source,
                        f"warning: number: no release of {year} has number {missing} "
                        f"(between {before} and {after})",
                        release.lines.get("number"),
                    )
                )
    return problems
