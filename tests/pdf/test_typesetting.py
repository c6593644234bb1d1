"""German typography in the PDF, and characters no font has."""

from __future__ import annotations

from pathlib import Path

from conftest import pdf_pages, run_cli

RELEASE = """\
date: 2022-04-28
headline: "Der \\"Sommer\\" kommt"
body: |
  Er sagte: "Das ist z. B. gut, d. h. sehr gut." Geöffnet 9-17 Uhr, Eintritt 12 000 € - frei.
  Telefon +49 (0)231/50-2 21 34, Linie U47-Linie, am 2022-04-28.
"""


def _render(tmp_path: Path, text: str) -> tuple[int, str, str]:
    source = tmp_path / "r.yaml"
    source.write_text(text, encoding="utf-8")
    result = run_cli("render", "r.yaml", cwd=tmp_path)
    pdf = tmp_path / "r.pdf"
    pages = "".join(pdf_pages(pdf)) if pdf.exists() else ""
    return result.returncode, result.stderr.decode(), pages


def test_german_quotes_dashes_and_no_break_spaces_reach_the_pdf(tmp_path: Path) -> None:
    code, stderr, text = _render(tmp_path, RELEASE)
    assert code == 0, stderr
    assert "Der „Sommer“ kommt" in text
    assert "„Das ist z.\u202fB. gut, d.\u202fh. sehr gut.“" in text.replace("\n", " ")
    # U+00A0 and U+202F reach the PDF's text as themselves (patches._fix_nbsp).
    assert "9–17\xa0Uhr" in text.replace("\n", " ")
    assert "12\u202f000\xa0€" in text.replace("\n", " ")
    assert "\xa0– frei" in text
    # Phone numbers, codes and ISO dates stay as typed.
    assert "+49 (0)231/50-2 21 34" in text
    assert "U47-Linie" in text and "2022-04-28" in text


def test_typography_can_be_turned_off(tmp_path: Path) -> None:
    code, stderr, text = _render(tmp_path, RELEASE + "typography: false\n")
    assert code == 0, stderr
    assert 'Der "Sommer" kommt' in text
    assert "9-17 Uhr" in text


def test_a_character_no_font_has_is_an_error_with_its_place(tmp_path: Path) -> None:
    code, stderr, _ = _render(
        tmp_path,
        "date: 2022-04-28\nheadline: Gut\nbody: |\n  Erster.\n\n  Zweiter 😀.\n"
        'contact: "\U0001f389"\n',
    )
    assert code == 1
    assert stderr.splitlines() == [
        "r.yaml:6: body: character '😀' (U+1F600 GRINNING FACE) is in no shipped font; "
        "replace it or use a letterhead font that has it",
        "r.yaml:7: contact: character '🎉' (U+1F389 PARTY POPPER) is in no shipped font; "
        "replace it or use a letterhead font that has it",
    ]
    assert not (tmp_path / "r.pdf").exists()


def test_no_break_spaces_hold_at_every_line_width() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from medieninfo.pdf import patches as _rlpatch
    from medieninfo.text.typography import refine

    _rlpatch.apply()
    (text,) = refine(["Am Montag ist z. B. von 9-17 Uhr für 12 000 € geöffnet."], "de-DE")
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12, splitLongWords=0)
    for width in range(40, 300, 3):
        paragraph = Paragraph(text, style)
        paragraph.wrap(width, 1000)
        lines = [" ".join(words) for _, words in paragraph.blPara.lines]
        # No line but the last may end inside "z. B.", "9–17 Uhr" or "12 000 €".
        ends = [line.split()[-1] for line in lines[:-1] if line.split()]
        assert not [end for end in ends if end in ("z.", "9–17", "12", "000")], (width, lines)


def test_symbols_fall_back_to_the_shipped_symbol_fonts(tmp_path: Path) -> None:
    from pypdf import PdfReader

    code, stderr, text = _render(
        tmp_path, "date: 2022-04-28\nheadline: Pfeil → hier\nbody: Haken ✓ und **fett ★** ≤ 5.\n"
    )
    assert code == 0, stderr
    assert "Pfeil → hier" in text and "Haken ✓ und fett ★ ≤ 5." in text
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(tmp_path / "r.pdf").pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert {"NotoSansMath-Regular", "NotoSansSymbols2-Regular"} <= fonts


def test_a_letterhead_line_its_font_lacks_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "lh.yaml").write_text("organisation: Amt ✓\nsidebar: [Zeile]\n", encoding="utf-8")
    code, stderr, _ = _render(
        tmp_path, "date: 2022-04-28\nheadline: Titel\nbody: Text.\nletterhead: lh.yaml\n"
    )
    assert code == 1
    assert stderr.strip() == (
        "lh.yaml: letterhead.organisation: character '✓' (U+2713 CHECK MARK) is not in the "
        "letterhead's font; replace it or choose fonts that have it"
    )
