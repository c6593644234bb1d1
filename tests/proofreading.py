"""A proofreader's measurements of finished PDFs, read back with PDFium (pypdfium2).

Lines are rebuilt from the glyphs' boxes and baselines, paragraphs from the gaps between
lines; nothing here asks medieninfo how it laid the page out. Used by
``tests/test_proofreading.py``; ``python tests/proofreading.py a.pdf b.pdf …`` prints the
figures of the README's table for a set of PDFs.
"""

from __future__ import annotations

import ctypes
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4
#: The text column of the Dortmund letterhead (model/letterhead.py, Geometry): 25 mm + 118 mm.
COLUMN_LEFT = 25 * MM
COLUMN_RIGHT = (25 + 118) * MM
SIDEBAR_LEFT = 152 * MM
BODY_SIZE = 10.5
HEADLINE_SIZE = 15.0
SHORT_WORD = 6  # characters: "ein", "tragen." would not count, "gen.“" would
#: A line-end hyphen as PDFium reports it: a hyphen ReportLab adds reads as U+FFFE.
HYPHENS = ("-", "\ufffe", "\u00ad", "\u2010")


@dataclass
class Line:
    page: int
    text: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass
class Block:
    """Consecutive lines of one size and leading: a paragraph, list item or headline."""

    size: float
    lines: list[Line] = field(default_factory=list)


def read_lines(path: Path | bytes) -> list[Line]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(path)
    lines: list[Line] = []
    for number in range(len(document)):
        page = document[number]
        textpage = page.get_textpage()
        count = textpage.count_chars()
        current: list[tuple[str, float, float, float, float]] = []

        def flush(current: list[tuple[str, float, float, float, float]], number: int) -> None:
            if not current:
                return
            text = "".join(c for c, *_ in current).strip()
            boxes = [(x0, x1) for ch, x0, x1, _, _ in current if not ch.isspace()]
            if text and boxes:
                lines.append(
                    Line(
                        number + 1,
                        text,
                        min(b[0] for b in boxes),
                        max(b[1] for b in boxes),
                        current[0][3],
                        max(c[4] for c in current),
                    )
                )
            current.clear()

        for index in range(count):
            char = textpage.get_text_range(index, 1)
            if char in ("\r", "\n"):
                flush(current, number)
                continue
            left, _, right, _ = textpage.get_charbox(index)
            x = ctypes.c_double()
            y = ctypes.c_double()
            raw.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
            size = raw.FPDFText_GetFontSize(textpage.raw, index)
            if current and abs(y.value - current[-1][3]) > 2:
                flush(current, number)
            current.append((char, left, right, y.value, size))
        flush(current, number)
    return lines


def column_lines(lines: list[Line]) -> list[Line]:
    """The text column's lines: not the sidebar, not the page number at the foot."""
    return [line for line in lines if line.x0 < SIDEBAR_LEFT - 5 and line.baseline > 20 * MM]


def blocks(lines: list[Line]) -> list[Block]:
    """Group column lines into blocks; a block cut by a page break continues."""
    result: list[Block] = []
    previous: Line | None = None
    for line in column_lines(lines):
        size = round(line.size, 1)
        same = previous is not None and round(previous.size, 1) == size
        if same and previous is not None and line.page == previous.page:
            gap = previous.baseline - line.baseline
            joined = gap < size * 1.55 and abs(line.x0 - previous.x0) < 20
        elif same and previous is not None:
            # Top of a new page after the foot of the last: the same paragraph goes on.
            joined = previous.baseline < 60 * MM and not previous.text.endswith((".", ":", "“"))
        else:
            joined = False
        if joined:
            result[-1].lines.append(line)
        else:
            result.append(Block(size, [line]))
        previous = line
    return result


def _words(text: str) -> list[str]:
    return text.split()


@dataclass
class Metrics:
    overfull: list[str] = field(default_factory=list)
    hyphen_tails: list[str] = field(default_factory=list)
    short_last: list[str] = field(default_factory=list)
    hyphen_runs: int = 0
    fills: list[float] = field(default_factory=list)
    headline_lone_word: list[str] = field(default_factory=list)
    headlines: int = 0

    def add(self, other: Metrics) -> None:
        self.overfull += other.overfull
        self.hyphen_tails += other.hyphen_tails
        self.short_last += other.short_last
        self.hyphen_runs += other.hyphen_runs
        self.fills += other.fills
        self.headline_lone_word += other.headline_lone_word
        self.headlines += other.headlines

    @property
    def rag(self) -> float:
        return statistics.pstdev(self.fills) if len(self.fills) > 1 else 0.0


def measure(path: Path | bytes) -> Metrics:
    found = Metrics()
    lines = read_lines(path)
    for line in column_lines(lines):
        if line.x1 > COLUMN_RIGHT + 0.5:
            found.overfull.append(f"page {line.page}: {line.text!r} ends at {line.x1:.1f}")
    width = COLUMN_RIGHT - COLUMN_LEFT
    seen_headline = False
    for block in blocks(lines):
        texts = [line.text for line in block.lines]
        if abs(block.size - HEADLINE_SIZE) < 0.3:
            seen_headline = True
            found.headlines += 1
            if len(texts) > 1 and len(_words(texts[-1])) == 1:
                found.headline_lone_word.append(" / ".join(texts))
            continue
        if abs(block.size - BODY_SIZE) > 0.3 or not seen_headline:
            continue  # date, number and Sperrfrist come before the headline
        if len(texts) > 1:
            last = texts[-1]
            if texts[-2].endswith(HYPHENS) and len(_words(last)) == 1:
                found.hyphen_tails.append(f"{texts[-2][-30:]} / {last}")
            elif len(_words(last)) == 1 and len(last) <= SHORT_WORD:
                found.short_last.append(f"{texts[-2][-30:]} / {last}")
            run = 0
            for text in texts[:-1]:
                run = run + 1 if text.endswith(HYPHENS) else 0
                if run == 3:
                    found.hyphen_runs += 1
            left = min(line.x0 for line in block.lines)
            for line in block.lines[:-1]:
                found.fills.append((line.x1 - left) / (COLUMN_RIGHT - left or width))
    return found


def main(paths: list[str]) -> None:
    total = Metrics()
    for name in paths:
        total.add(measure(Path(name)))
    print(f"lines past the column: {len(total.overfull)}")
    for item in total.overfull:
        print("   ", item)
    print(f"paragraphs ending in a hyphenated tail: {len(total.hyphen_tails)}")
    for item in total.hyphen_tails:
        print("   ", item)
    print(f"paragraphs ending in one short word: {len(total.short_last)}")
    print(f"runs of 3 hyphenated lines: {total.hyphen_runs}")
    print(f"rag (SD of fill, non-final lines): {total.rag:.3f}")
    print(f"headlines whose last line is one word: {len(total.headline_lone_word)} of "
          f"{total.headlines}")  # fmt: skip
    for item in total.headline_lone_word:
        print("   ", item)


if __name__ == "__main__":
    main(sys.argv[1:])
