"""Layout report: what a proofreader would say about the finished pages.

A :class:`LayoutRecorder` watches the document template place each flowable (through its
``afterFlowable`` hook) and afterwards lists widows, orphans, subheadings at the foot of a
page, a last page with only a line or two, overfull lines, more than three hyphenated line
ends in a row, and a headline outside the 30–40 characters a press headline should have.
A line the breaker had to cut inside a word wider than the column (no line ever leaves the
column) and a URL that continues on the next page are listed too.
The layout already avoids most of these (no widows or orphans, subheadings kept with what
follows); the report proves it for each release and names what it could not avoid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

HEADLINE_RANGE = (30, 40)
_MAX_HYPHEN_RUN = 3
_OVERFULL_TOLERANCE = 1.0  # points: less is invisible, and ReportLab rounds hyphen widths


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    page: int | None = None

    def __str__(self) -> str:
        where = f"page {self.page}: " if self.page else ""
        return f"{where}{self.kind}: {self.message}"


@dataclass
class _Placed:
    page: int
    style: str
    lines: list[Any]
    first_half: bool
    #: The start of its text as a reader sees it (see :func:`_preview`).
    preview: str


#: How many characters of a paragraph a finding quotes.
_PREVIEW = 40


def _preview(flowable: Any) -> str:
    """The first :data:`_PREVIEW` characters of a paragraph's text as a reader sees it (not
    the markup ReportLab was given), spaces collapsed.

    Read from the fewest fragments that give them: the text of a paragraph's first
    fragments is the start of its text, and collapsed it is the start of the collapsed
    text. Joining all of it (``getPlainText``) for 40 characters was ~1 % of a render, and
    keeping the fragments to do it only for a finding kept a long release's every
    paragraph alive to the end (the 1 MB release: 128 → 186 MiB)."""
    from reportlab.platypus.paragraph import Paragraph

    if not hasattr(flowable, "getPlainText"):
        return ""
    plain_text: Any = Paragraph.getPlainText  # reads nothing of the paragraph but its frags
    frags = getattr(flowable, "frags", None)
    if not frags or getattr(type(flowable), "getPlainText", None) != plain_text:
        return " ".join(flowable.getPlainText().split())[:_PREVIEW]
    count = 16  # words, or runs of text: enough for 40 characters nearly always
    while True:
        text = plain_text(SimpleNamespace(frags=frags[:count]))
        preview = " ".join(text.split())
        if len(preview) >= _PREVIEW or count >= len(frags):
            return preview[:_PREVIEW]
        count *= 4


@dataclass
class LayoutRecorder:
    """Collects what was placed where; :meth:`findings` judges it."""

    placed: list[_Placed] = field(default_factory=list)
    #: Pages with a photo on them: such a page is never a "short last page".
    figure_pages: set[int] = field(default_factory=set)

    def attach(self, document: Any) -> None:
        previous = document.afterFlowable

        def after(flowable: Any) -> None:
            previous(flowable)
            self._record(document.page, flowable)

        document.afterFlowable = after

    def _record(self, page: int, flowable: Any) -> None:
        if getattr(flowable, "photo", None) is not None:
            self.figure_pages.add(page)
            return
        para = getattr(flowable, "blPara", None)
        style = getattr(getattr(flowable, "style", None), "name", "")
        if para is None:
            # A list placed whole is one flowable with its paragraphs inside; without it a
            # heading before a list would look separated from what follows.
            lines = list(_contained_lines(flowable))
            if lines:
                self.placed.append(_Placed(page, "list", lines, False, ""))
            return
        if not style:
            return
        self.placed.append(
            _Placed(
                page,
                style,
                list(para.lines),
                bool(getattr(flowable, "_splitpara", 0)),
                _preview(flowable),
            )
        )

    def findings(self, *, headline: str, pages: int) -> list[Finding]:
        found = _headline(headline)
        body = [p for p in self.placed if p.style in ("body", "li")]
        for index, placed in enumerate(self.placed):
            following = self.placed[index + 1] if index + 1 < len(self.placed) else None
            if placed.first_half and len(placed.lines) == 1:
                found.append(
                    Finding("orphan", f"one line of '{placed.preview}…' ends the page", placed.page)
                )
            if placed.first_half and following and len(following.lines) == 1:
                found.append(
                    Finding(
                        "widow", f"one line of '{placed.preview}…' starts the page", following.page
                    )
                )
            if placed.style in ("h2", "h3") and following and following.page > placed.page:
                found.append(
                    Finding(
                        "heading at page foot",
                        f"'{placed.preview}' is separated from its text",
                        placed.page,
                    )
                )
            if (
                placed.first_half
                and placed.lines
                and getattr(placed.lines[-1], "break_kind", "") == "address"
            ):
                found.append(
                    Finding(
                        "address split across pages",
                        f"a URL or e-mail address in '{placed.preview}…' continues on the "
                        "next page",
                        placed.page,
                    )
                )
            if any(getattr(line, "break_kind", "") == "emergency" for line in placed.lines):
                # Once per paragraph piece: a 300 KB word would otherwise fill the report.
                found.append(
                    Finding(
                        "emergency break",
                        f"a word in '{placed.preview}…' is wider than the column and was "
                        "broken without a hyphen",
                        placed.page,
                    )
                )
            for line in placed.lines:
                if _extra_space(line) < -_OVERFULL_TOLERANCE:
                    found.append(
                        Finding(
                            "overfull line",
                            f"a line of '{placed.preview}…' is too wide",
                            placed.page,
                        )
                    )
        found.extend(_hyphen_runs(body))
        if pages > 1:
            last = sum(len(p.lines) for p in self.placed if p.page == pages)
            if last <= 2 and pages not in self.figure_pages:
                found.append(Finding("short last page", f"only {last} line(s)", pages))
        return found


def _contained_lines(flowable: Any, depth: int = 0) -> Any:
    """The lines of the paragraphs inside a container (a list, its items)."""
    if depth > 8:
        return
    for inner in getattr(flowable, "_content", None) or ():
        inner = getattr(inner, "_flowable", inner)
        para = getattr(inner, "blPara", None)
        if para is not None:
            yield from para.lines
        else:
            yield from _contained_lines(inner, depth + 1)


def _headline(headline: str) -> list[Finding]:
    low, high = HEADLINE_RANGE
    if low <= len(headline) <= high:
        return []
    return [
        Finding(
            "headline length",
            f"{len(headline)} characters; press headlines read best at {low}–{high}",
        )
    ]


def _extra_space(line: Any) -> float:
    if isinstance(line, tuple):
        return float(line[0])
    return float(getattr(line, "extraSpace", 0.0))


def _last_word(line: Any) -> str:
    if isinstance(line, tuple):
        words = line[1]
        return str(words[-1]) if words else ""
    words = getattr(line, "words", None) or []
    return str(getattr(words[-1], "text", "")) if words else ""


def _hyphen_runs(placed: list[_Placed]) -> list[Finding]:
    found = []
    run = 0
    for item in placed:
        for line in item.lines[:-1] if item.lines else []:
            run = run + 1 if _last_word(line).endswith("-") else 0
            if run == _MAX_HYPHEN_RUN + 1:
                found.append(
                    Finding(
                        "hyphen ladder",
                        f"more than {_MAX_HYPHEN_RUN} hyphenated lines in a row "
                        f"in '{item.preview}…'",
                        item.page,
                    )
                )
        run = 0 if not item.lines else run
    return found
