"""The line breaker remembers a word's boxes and penalties (breaking._WORD_ITEMS); a word
remembered from a wide column must still get its emergency breaks in a narrow one."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from medieninfo.pdf import breaking, patches

WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"


def _lines(width: float) -> list[float]:
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    paragraph = breaking.TotalFitParagraph(f"Ein {WORD} und noch ein {WORD} hier.", style)
    paragraph.wrap(width, 1000)
    return [width - line.extraSpace for line in paragraph.blPara.lines]


def test_a_remembered_word_is_cut_again_in_a_narrower_column() -> None:
    patches.apply()
    breaking._WORD_ITEMS.clear()
    wide = stringWidth(WORD, "Helvetica", 10) + 40
    assert all(used <= wide + 0.01 for used in _lines(wide))
    assert breaking._WORD_ITEMS  # the word is remembered now
    narrow = stringWidth(WORD, "Helvetica", 10) / 3
    used = _lines(narrow)
    assert len(used) >= 6
    assert all(width <= narrow + 0.01 for width in used), (narrow, used)
