"""The sidebar's remembered drawing (pdf/pages.py, pdf/logo.py) writes what ReportLab's own
calls write: the same operators, the same subset codes, the same image object."""

from __future__ import annotations

import io

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


def test_a_logo_image_object_is_made_once_with_the_same_bytes() -> None:
    from medieninfo.model.png import read_png

    png = read_png((assets_dir() / "logo" / "placeholder-city.png").read_bytes())
    assert png is not None
    first, second = _canvas()._doc, _canvas()._doc
    made = logo._PngImage("logo", png)._made(first)
    assert logo._PngImage("logo", png).format(first) == made
    assert logo._PngImage("logo", png).format(second) == made
    assert logo._formatted[id(png)][0] is png
