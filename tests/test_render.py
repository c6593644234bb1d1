"""The example release renders to the reference: text, order, letterhead, fonts, metadata."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLES, REFERENCE, pdf_pages, run_cli, run_command, squash

LETTERHEAD_LINES = [
    "Stadt Dortmund",
    "MEDIENINFORMATION",
    "Pressestelle der Stadt Dortmund",
    "Frank Bußmann (verantwortlich)",
    "Südwall 21–23, 44122 Dortmund",
    "Telefon: +49 (0)231/50-2 21 34",
    "Telefax: +49 (0)231/50-2 21 67",
    "E-Mail: pressestelle@stadtdo.de",
    "Web: dortmund.de/presse",
    "dortmund-ueberrascht-dich.de",
]


def reference_blocks() -> list[str]:
    """The reference release's blocks without Markdown marks and without the letterhead."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"</?sub>", "", text)
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        block = re.sub(r"^#+\s*", "", block.strip()).strip("*").strip()
        if not block or block in LETTERHEAD_LINES[:2]:
            continue
        if block.startswith("Pressestelle der Stadt Dortmund"):
            continue
        blocks.append(block)
    return blocks


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "eu-mission.pdf"
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    return out


def _body_text(pages: list[str]) -> str:
    """Page texts without the letterhead block and the page numbers, joined."""
    bodies = []
    for page in pages:
        for line in LETTERHEAD_LINES:
            page = page.replace(line, "", 1)
        bodies.append(re.sub(r"Seite \d+ von \d+", "", page))
    return "\n".join(bodies)


def test_example_has_two_pages_with_the_letterhead_on_each(example_pdf: Path) -> None:
    pages = pdf_pages(example_pdf)
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines()]
        # The letterhead comes first on every page, in the reference's order.
        assert lines[: len(LETTERHEAD_LINES)] == LETTERHEAD_LINES
        assert f"Seite {number} von 2" in page


def test_example_text_reproduces_the_reference_block_for_block(example_pdf: Path) -> None:
    body = squash(_body_text(pdf_pages(example_pdf)))
    position = 0
    for block in reference_blocks():
        found = body.find(squash(block), position)
        assert found >= 0, f"block missing or out of order: {block[:60]!r}"
        assert found == position, f"unexpected text before {block[:40]!r}: {body[position:found]!r}"
        position = found + len(squash(block))
    assert position == len(body), f"text after the last block: {body[position:]!r}"


def test_toml_twin_renders_the_same_text(example_pdf: Path, tmp_path: Path) -> None:
    out = tmp_path / "toml.pdf"
    result = run_cli("render", EXAMPLES / "eu-mission.toml", "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    assert pdf_pages(out) == pdf_pages(example_pdf)


def test_every_font_is_embedded_with_unicode_map(example_pdf: Path) -> None:
    reader = PdfReader(example_pdf)
    fonts = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for _, ref in resources["/Font"].items():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
        for _, xobject in resources.get("/XObject", {}).items():
            form = xobject.get_object()
            for _, ref in form.get("/Resources", {}).get("/Font", {}).items():
                font = ref.get_object()
                fonts[font["/BaseFont"]] = font
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        assert "Helvetica" not in name and "Times" not in name, name
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert "/ToUnicode" in font, f"{name} has no ToUnicode map"
    faces = {str(name).split("+")[-1] for name in fonts}
    assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-BoldItalic"} <= faces


def test_metadata_title_author_language(example_pdf: Path) -> None:
    reader = PdfReader(example_pdf)
    info = reader.metadata
    assert info.title == "Europäische Kommission will Klimaneutralität in Dortmund voranbringen"
    assert info.author == "Stadt Dortmund"
    assert reader.trailer["/Root"]["/Lang"] == "de-DE"
    assert info["/CreationDate"].startswith("D:20220428")


def test_links_in_the_sidebar_are_clickable(example_pdf: Path) -> None:
    reader = PdfReader(example_pdf)
    for page in reader.pages:
        uris = {annot.get_object()["/A"]["/URI"] for annot in page["/Annots"]}
        assert {
            "mailto:pressestelle@stadtdo.de",
            "http://dortmund.de/presse",
            "http://dortmund-ueberrascht-dich.de",
        } <= uris


def test_subscript_is_set_with_a_negative_text_rise(example_pdf: Path) -> None:
    from pypdf.generic import ContentStream

    reader = PdfReader(example_pdf)
    rises = [
        float(operands[0])
        for page in reader.pages
        for operands, operator in ContentStream(page.get_contents(), reader).operations
        if operator == b"Ts"
    ]
    # CO~2~ is the only sub- or superscript in the example.
    assert any(rise < 0 for rise in rises)
    assert not any(rise > 0 for rise in rises)


def test_same_input_gives_the_same_bytes_whatever_the_clock(
    example_pdf: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again.pdf"
    # A process of its own, started in that zone: nothing read at import time escapes.
    result = run_command(
        "render",
        EXAMPLES / "eu-mission.yaml",
        "-o",
        again,
        env={"TZ": "Pacific/Kiritimati", "SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert result.returncode == 0
    assert again.read_bytes() == example_pdf.read_bytes()


def test_default_output_is_beside_the_input(tmp_path: Path) -> None:
    source = tmp_path / "pm.yaml"
    source.write_bytes((EXAMPLES / "eu-mission.yaml").read_bytes())
    result = run_cli("render", source)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "pm.pdf").read_bytes().startswith(b"%PDF-")


def test_other_letterhead_from_a_data_file(tmp_path: Path) -> None:
    out = tmp_path / "muster.pdf"
    result = run_cli("render", EXAMPLES / "musterstadt" / "release.yaml", "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    (page,) = pdf_pages(out)
    assert "Gemeinde Musterstadt" in page and "PRESSEMITTEILUNG" in page
    assert "Stadt Dortmund" not in page
    assert "Sperrfrist: 25.11.2026, 10:00 Uhr" in page
    assert PdfReader(out).metadata.author == "Gemeinde Musterstadt"


def test_letterhead_option_overrides_the_release(tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    letterhead = EXAMPLES / "musterstadt" / "letterhead.toml"
    result = run_cli("render", EXAMPLES / "eu-mission.yaml", "--letterhead", letterhead, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    assert all("Gemeinde Musterstadt" in page for page in pdf_pages(out))
