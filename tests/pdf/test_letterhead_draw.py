"""The sidebar's remembered drawing (pdf/pages.py, pdf/logo.py) writes what ReportLab's own
calls write: the same operators, the same subset codes, the same image object."""

from __future__ import annotations

import io
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from medieninfo.assets import assets_dir
from medieninfo.pdf import logo, pages
from medieninfo.pdf.fonts import register_face
from medieninfo.pdf.patches import apply

LINES = ["Pressestelle der Stadt", "Telefon +49 30 1234-567", "presse@example.org", "Wäßrig"]


def _canvas() -> Canvas:
    apply()
    return Canvas(io.BytesIO())


def _drawn(draw: object) -> tuple[list[str], dict[int, int]]:
    """The canvas code and the subset codes given after drawing LINES twice with ``draw``."""
    font = register_face(assets_dir() / "fonts" / "NotoSans-Regular.ttf")
    canvas = _canvas()
    canvas.setFont(font, 7.5)
    for y in (700.0, 689.5):
        for x, text in enumerate(LINES):
            shaped, _width = pages._kerned(text, font, 7.5)
            draw(canvas, 40.0 + x, y, shaped)  # type: ignore[operator]
    from reportlab.pdfbase.pdfmetrics import getFont

    state = getFont(font).state[canvas._doc]
    return list(canvas._code), dict(state.assignments)


def test_a_sidebar_line_is_drawn_as_draw_string_draws_it() -> None:
    ours = _drawn(pages._draw_string)
    reportlab = _drawn(lambda canvas, x, y, text: canvas.drawString(x, y, text))
    assert ours == reportlab
    assert any("TJ" in code for code in ours[0])  # kerned lines, not only plain ones


def _drawn_lines(
    draw: Any, lines: list[tuple[str, float, str]], pages_drawn: int
) -> tuple[list[str], dict[str, dict[int, int]]]:
    """The canvas code of ``pages_drawn`` pages with ``lines`` (font, size, text) drawn by
    ``draw``, and the subset codes each TrueType font has at the end."""
    from reportlab.pdfbase.pdfmetrics import getFont

    canvas = _canvas()
    code: list[str] = []
    for _page in range(pages_drawn):
        for index, (font, size, text) in enumerate(lines):
            canvas.setFont(font, size)
            shaped, _width = pages._kerned(text, font, size)
            draw(canvas, 40.0, 700.0 - 10.5 * index, shaped)
        code += canvas._code
        canvas.showPage()
    codes = {
        font: dict(getFont(font).state[canvas._doc].assignments)
        for font, _size, _text in lines
        if getFont(font)._dynamicFont
    }
    return code, codes


def test_sidebar_lines_are_drawn_as_reportlabs_own_code_draws_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against ReportLab's unpatched ``_formatText``: kerned and plain lines in two faces
    and sizes, on three pages (the later ones from the remembered operators), a line with
    a mark HarfBuzz moves (left to the per-glyph code), one in a standard font, and a line
    drawn again in another place."""
    from reportlab.pdfgen.textobject import PDFTextObject

    regular = register_face(assets_dir() / "fonts" / "NotoSans-Regular.ttf")
    bold = register_face(assets_dir() / "fonts" / "NotoSans-Bold.ttf")
    lines = [(bold, 13.0, "Stadt Wasserwerk"), (bold, 9.5, "Pressestelle (Rathaus)")]
    lines += [(regular, 7.5, text) for text in LINES]
    lines += [(regular, 7.5, "q\u0301 und n\u0308"), ("Helvetica", 7.5, "Telefon")]
    lines.append(lines[2])  # the same line in another place
    ours = _drawn_lines(pages._draw_string, lines, 3)
    with monkeypatch.context() as patched:
        original = PDFTextObject._formatText.__wrapped__  # type: ignore[attr-defined]
        patched.setattr(PDFTextObject, "_formatText", original)
        reportlab = _drawn_lines(lambda canvas, x, y, text: canvas.drawString(x, y, text), lines, 3)
    assert ours == reportlab
    assert sum("TJ" in code for code in ours[0]) >= 6
    assert sum("Helvetica" in code or "/F" in code for code in ours[0]) >= 3


def test_remembered_lines_are_each_documents_own() -> None:
    """The same line in two documents whose codes were given in another order: each
    document's operators are its own codes'."""
    regular = register_face(assets_dir() / "fonts" / "NotoSans-Regular.ttf")
    first = [(regular, 7.5, "Maß"), (regular, 7.5, "Wäßrig")]
    second = first[::-1]
    ours = _drawn_lines(pages._draw_string, first, 2), _drawn_lines(pages._draw_string, second, 2)
    draw = lambda canvas, x, y, text: canvas.drawString(x, y, text)  # noqa: E731
    assert ours == (_drawn_lines(draw, first, 2), _drawn_lines(draw, second, 2))
    assert ours[0][1] != ours[1][1]


def test_a_line_is_shaped_once_and_as_reportlab_shapes_it() -> None:
    font = register_face(assets_dir() / "fonts" / "NotoSans-Regular.ttf")
    first = pages._kerned("Wasserwerk Tee", font, 9.5)
    again = pages._kerned("Wasserwerk Tee", font, 9.5)
    fresh = pages._shape_line("Wasserwerk Tee", font, 9.5)
    assert again[0] is first[0]
    assert first == fresh
    assert first[0].__shapeData__ == fresh[0].__shapeData__  # type: ignore[attr-defined]


def test_a_letterhead_colour_fills_as_set_fill_color_does() -> None:
    from reportlab.lib.colors import HexColor

    from medieninfo.pdf.lines import fill

    ours, reportlab = _canvas(), _canvas()
    for colour in ("#003399", "#1a1a1a", "#003399"):
        fill(ours, colour)
        reportlab.setFillColor(HexColor(colour))
    assert ours._code == reportlab._code
    assert ours._fillColorObj == reportlab._fillColorObj


@pytest.mark.parametrize("before", [None, 0.5, 1.0])
@pytest.mark.parametrize("version", [(1, 3), (1, 7)])
@pytest.mark.parametrize("target", ["canvas", "text"])
def test_a_fill_writes_its_alpha_as_set_fill_color_does(
    before: float | None, version: tuple[int, int], target: str
) -> None:
    """The fill alpha a colour carries (1) is left out only where ReportLab writes nothing
    for it: the graphics state has it already and the PDF version is high enough."""
    from reportlab.lib.colors import Color, HexColor

    from medieninfo.pdf.lines import fill

    def reportlab(tx: Any, colour: Any) -> None:
        tx.setFillColor(HexColor(colour) if isinstance(colour, str) else colour)

    written = []
    for draw in (fill, reportlab):
        canvas = Canvas(io.BytesIO(), pdfVersion=version)
        if before is not None:
            canvas.setFillAlpha(before)
        tx = canvas.beginText(0, 0) if target == "text" else canvas
        versions = []
        for colour in ("#003399", "#1a1a1a", Color(0.2, 0.4, 0.6, alpha=0.25), "#1a1a1a"):
            draw(tx, colour)
            versions.append(canvas._doc._pdfVersion)
        written.append((list(tx._code), versions, canvas._extgstate._d))
    assert written[0] == written[1]
    assert any(" gs" in code for code in written[0][0])


def test_a_logo_image_object_is_made_once_with_the_same_bytes() -> None:
    from medieninfo.model.png import read_png

    png = read_png((assets_dir() / "logo" / "placeholder-city.png").read_bytes())
    assert png is not None
    first, second = _canvas()._doc, _canvas()._doc
    made = logo._PngImage("logo", png)._made(first)
    assert logo._PngImage("logo", png).format(first) == made
    assert logo._PngImage("logo", png).format(second) == made
    assert logo._formatted[id(png)][0] is png
