"""The logo in the PDF: a PNG carried in undecoded, every other image through Pillow, both
decoded back by an independent reader (PDFium, Chrome's PDF engine) to the logo's pixels."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from medieninfo.assets import assets_dir

from conftest import MINIMAL, run_cli

LOGO = assets_dir() / "logo" / "placeholder-city.png"


def _logo_variants(folder: Path) -> dict[str, Path]:
    """The placeholder as each kind of file: two that pass through, two that go via Pillow."""
    source = Image.open(LOGO).convert("RGB").resize((120, 120))
    variants = {
        "rgb": source,
        "grey": source.convert("L"),
        "palette": source.convert("P", palette=Image.Palette.ADAPTIVE, colors=16),
        "opaque-alpha": source.convert("RGBA"),
    }
    paths = {}
    for name, image in variants.items():
        paths[name] = folder / f"{name}.png"
        image.save(paths[name])
    return paths


def test_every_kind_of_png_logo_decodes_to_its_own_pixels(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    import pypdfium2.raw as pdfium_c

    (tmp_path / "r.yaml").write_text(MINIMAL)
    for kind, logo in _logo_variants(tmp_path).items():
        letterhead = tmp_path / f"{kind}.toml"
        letterhead.write_text(f'organisation = "Amt"\nsidebar = ["Zeile"]\nlogo = "{logo.name}"\n')
        target = tmp_path / f"{kind}.pdf"
        result = run_cli("render", "r.yaml", "-l", letterhead, "-o", target, cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        page = pdfium.PdfDocument(target)[0]
        (drawn,) = page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,))
        decoded = drawn.get_bitmap(render=False).to_pil().convert("RGB")
        expected = Image.open(logo).convert("RGB")
        assert ImageChops.difference(decoded, expected).getbbox() is None, kind


def test_the_logo_is_drawn_as_it_was_checked(tmp_path: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    from medieninfo.model.letterhead import load_letterhead
    from medieninfo.model.release import load_release
    from medieninfo.render import render_release

    logo = tmp_path / "logo.png"
    logo.write_bytes(LOGO.read_bytes())
    letterhead_file = tmp_path / "letterhead.toml"
    letterhead_file.write_text('organisation = "Amt"\nsidebar = ["Zeile"]\nlogo = "logo.png"\n')
    (tmp_path / "r.yaml").write_text(MINIMAL)
    letterhead = load_letterhead(letterhead_file)
    logo.write_bytes(b"changed after the check")
    pdf = render_release(load_release(tmp_path / "r.yaml"), letterhead).pdf
    document = pikepdf.Pdf.open(io.BytesIO(pdf))
    (image,) = (
        xobject
        for xobject in document.pages[0].Resources.XObject.values()
        if xobject.get("/Subtype") == "/Image"
    )
    decoded = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    assert ImageChops.difference(decoded, Image.open(LOGO).convert("RGB")).getbbox() is None
