"""The line writer (:mod:`medieninfo.pdf.lines`) draws what ReportLab's ``drawPara`` draws.

Each release is rendered twice in this process: as medieninfo renders it, and with every
paragraph drawn by ReportLab's own ``Paragraph.drawPara`` (``layout.draw_paragraph``
switched off). The PDFs must be the same bytes; and, read back by PDFium, every line must
have the same text, and every character the same origin within 0.01 pt (the check that
still holds if the bytes may one day differ). The releases cover kerning, bold and italic
runs, links across lines and pages, sub- and superscripts, fallback fonts, soft and hard
hyphens, lists, the embargo box, ragged and justified text.

ReportLab's functions that :mod:`~medieninfo.pdf.lines` follows step by step are
fingerprinted, as the patched ones are (test_patches.py): a ReportLab release that changes
one fails here, so the copy is read again.
"""

from __future__ import annotations

import ctypes
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from medieninfo.model.release import load_release
from medieninfo.pdf import layout, lines
from medieninfo.render import letterhead_for, render_release
from pdf.test_kerning import RELEASE as KERNING_RELEASE
from pdf.test_patches import _FINGERPRINT
from pdf.test_validators import _feature_release

from conftest import EXAMPLES, ROOT

#: ReportLab's code that lines.py follows (or calls), as ReportLab 5.1.0 has it.
FOLLOWED = {
    "reportlab.platypus.paragraph:Paragraph.drawPara": "source d93948dc2d135dc8",
    "reportlab.platypus.paragraph:_putFragLine": "source 1239a52aa7696552",
    "reportlab.platypus.paragraph:_leftDrawParaLineX": "source 4038e4dbedae3439",
    "reportlab.platypus.paragraph:_justifyDrawParaLineX": "source 1a761a901e6a94b3",
    "reportlab.platypus.paragraph:_do_post_text": "source 018373e4a773efb3",
    "reportlab.platypus.paragraph:_trailingSpaceLength": "source 16599c0c2c57d9a1",
    "reportlab.pdfgen.textobject:PDFTextObject.setFillColor": "source a6a9f124832c76d6",
    "reportlab.pdfgen.textobject:PDFTextObject.setLeading": "source 7d8e6108ca32d233",
    "reportlab.pdfgen.textobject:PDFTextObject._textOut": "source e9fb074dc754db5a",
}


def test_reportlab_has_not_changed_what_the_line_writer_follows() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _FINGERPRINT, *FOLLOWED],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    changed = sorted(name for name, expected in FOLLOWED.items() if found[name] != expected)
    assert not changed, (
        f"ReportLab {found['version']} changed {changed}: read the change, bring "
        "medieninfo/pdf/lines.py in line, then record the new fingerprints in FOLLOWED"
    )


@contextmanager
def reportlab_drawing() -> Iterator[None]:
    """Every paragraph drawn by ReportLab's ``drawPara``, not by the line writer."""
    saved = layout.draw_paragraph
    layout.draw_paragraph = lambda paragraph: False
    try:
        yield
    finally:
        layout.draw_paragraph = saved


def _justified_letterhead(folder: Path) -> Path:
    original = (ROOT / "assets" / "letterheads" / "dortmund.yaml").read_text(encoding="utf-8")
    kept = [line for line in original.splitlines() if not line.startswith("logo")]
    path = folder / "justified.yaml"
    path.write_text("\n".join(kept) + "\ntext_align: justify\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("lines")
    justified = _justified_letterhead(folder)
    musterstadt = EXAMPLES / "musterstadt" / "letterhead.toml"
    sources = {
        "eu-mission": EXAMPLES / "eu-mission.yaml",
        "musterstadt": EXAMPLES / "musterstadt" / "release.yaml",
    }
    found = {name: load_release(path) for name, path in sources.items()}
    kerning = folder / "kerning.yaml"
    kerning.write_text(KERNING_RELEASE, "utf-8")
    found["kerning"] = load_release(kerning)
    for name, letterhead in (
        ("features", None),
        ("features-musterstadt", musterstadt),
        ("features-justified", justified),
    ):
        path = folder / f"{name}.yaml"
        path.write_text(_feature_release(str(letterhead) if letterhead else None), "utf-8")
        found[name] = load_release(path)
    return found


def _both(release: Any) -> tuple[bytes, bytes]:
    ours = render_release(release, letterhead_for(release)).pdf
    with reportlab_drawing():
        theirs = render_release(release, letterhead_for(release)).pdf
    return ours, theirs


NAMES = ["eu-mission", "musterstadt", "kerning", "features", "features-musterstadt",
         "features-justified"]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_the_line_writer_gives_reportlabs_bytes(releases: dict[str, Any], name: str) -> None:
    ours, theirs = _both(releases[name])
    assert ours == theirs


def _glyphs(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, each character PDFium reads: (character, x and y of its origin)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages = []
    document = pdfium.PdfDocument(pdf)
    for number in range(len(document)):
        textpage = document[number].get_textpage()
        found = []
        for index in range(textpage.count_chars()):
            x, y = ctypes.c_double(), ctypes.c_double()
            raw.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
            found.append((textpage.get_text_range(index, 1), x.value, y.value))
        pages.append(found)
    return pages


def _lines(glyphs: list[tuple[str, float, float]]) -> list[str]:
    """The page's text, line by line (PDFium ends a line with CR LF)."""
    return "".join(char for char, _x, _y in glyphs).split("\r\n")


@pytest.mark.parametrize("name", ["eu-mission", "kerning", "features-justified"])
def test_every_line_reads_and_sits_as_reportlab_draws_it(
    releases: dict[str, Any], name: str
) -> None:
    ours, theirs = (_glyphs(pdf) for pdf in _both(releases[name]))
    assert len(ours) == len(theirs)
    for our_page, their_page in zip(ours, theirs, strict=True):
        assert _lines(our_page) == _lines(their_page)
        assert len(our_page) == len(their_page)
        for (char, x, y), (their_char, their_x, their_y) in zip(our_page, their_page, strict=True):
            assert char == their_char
            assert abs(x - their_x) < 0.01 and abs(y - their_y) < 0.01, char
    words = " ".join(" ".join(_lines(page)) for page in ours)
    assert "Klimaneutralität" in words or "Torwart" in words or "Bürgerversammlung" in words


def _drawn(paragraph: Paragraph, *, ours: bool) -> str:
    """The content stream ``paragraph`` draws on a fresh canvas, by either writer."""
    canvas = Canvas(io.BytesIO())
    paragraph.wrap(300, 800)
    paragraph.canv = canvas
    if ours:
        assert lines.draw_paragraph(paragraph)
    else:
        Paragraph.drawPara(paragraph)
    del paragraph.canv
    return "\n".join(canvas._code)


def _style(**options: Any) -> ParagraphStyle:
    from medieninfo.pdf.fonts import register_family

    release = load_release(EXAMPLES / "eu-mission.yaml")
    names = register_family(letterhead_for(release).fonts)
    return ParagraphStyle("t", fontName=names.regular, fontSize=10.5, leading=15,
                          shaping=1, **options)  # fmt: skip


def test_a_line_with_an_image_is_drawn_by_reportlabs_line_code() -> None:
    """An inline image (never in our markup, but a ReportLab paragraph may have one) puts
    its line through ReportLab's own code; the other lines stay the line writer's."""
    logo = EXAMPLES / "musterstadt" / "logo.png"
    text = (
        "Eine Zeile mit Text vor dem Bild, dann noch einige Worte mehr. "
        f'Hier ist <img src="{logo}" width="12" height="8"/> ein Bild, und danach kommt '
        'noch <b>fetter</b> Text und ein <a href="https://example.org" color="red">Link'
        "</a> zum Schluss der langen Zeilen."
    )
    ours = _drawn(layout.TaggedParagraph(text, _style()), ours=True)
    theirs = _drawn(layout.TaggedParagraph(text, _style()), ours=False)
    assert " Do" in ours and "/Annot" not in ours
    assert ours == theirs


def test_a_paragraph_the_writer_does_not_know_is_left_to_reportlab() -> None:
    paragraph = layout.TaggedParagraph("Zentriert gesetzter Text.", _style(alignment=TA_CENTER))
    paragraph.wrap(300, 800)
    paragraph.canv = Canvas(io.BytesIO())
    assert not lines.draw_paragraph(paragraph)
    assert paragraph.canv._code == []


def test_justified_lines_are_spaced_as_reportlab_spaces_them() -> None:
    from reportlab.lib.enums import TA_JUSTIFY

    text = " ".join(["Blocksatz mit <i>kursiven</i> Wörtern und „Zitaten“ (AVATAR)."] * 6)
    ours = _drawn(layout.TaggedParagraph(text, _style(alignment=TA_JUSTIFY)), ours=True)
    theirs = _drawn(layout.TaggedParagraph(text, _style(alignment=TA_JUSTIFY)), ours=False)
    assert " Tw" in ours
    assert ours == theirs
