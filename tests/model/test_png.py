"""The logo: a PNG carried into the PDF undecoded, every other image through Pillow, both
decoded back by an independent reader (PDFium, Chrome's PDF engine) to the logo's pixels."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from medieninfo.assets import assets_dir
from medieninfo.model import png as images

from conftest import MINIMAL, run_cli

LOGO = assets_dir() / "logo" / "placeholder-city.png"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(
    width: int, height: int, rows: bytes, *, colour_type: int = 2, methods: bytes = b"\0\0\0"
) -> bytes:
    header = struct.pack(">IIBB", width, height, 8, colour_type) + methods
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows))
        + _chunk(b"IEND", b"")
    )


TWO_BY_TWO = b"\x00" + b"\x10" * 6 + b"\x00" + b"\x20" * 6


def test_the_placeholder_logo_passes_through() -> None:
    png = images.read_png(LOGO.read_bytes())
    assert png is not None and png.passes_through
    assert (png.width, png.height) == Image.open(LOGO).size
    images.check_data(png)


def test_not_a_png_is_left_to_pillow() -> None:
    assert images.read_png(b"\xff\xd8\xff\xe0 a JPEG") is None


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[:-20], "ends"),
        (lambda raw: raw[:40] + bytes([raw[40] ^ 0xFF]) + raw[41:], "chunk is damaged"),
    ],
)
def test_a_damaged_png_is_refused(damage: object, message: str) -> None:
    raw = _png(2, 2, TWO_BY_TWO)
    with pytest.raises(ValueError, match=message):
        images.read_png(damage(raw))  # type: ignore[operator]


def test_a_png_whose_structure_is_wrong_is_refused() -> None:
    raw = _png(2, 2, TWO_BY_TWO)
    header, data = raw[8:33], raw[33:-12]
    for wrong in (data + header, header + header + data, b""):
        with pytest.raises(ValueError, match="image header"):
            images.read_png(raw[:8] + wrong + raw[-12:])
    with pytest.raises(ValueError, match="compression, filter or interlace method"):
        images.read_png(_png(2, 2, TWO_BY_TWO, methods=b"\1\0\0"))


def test_large_image_data_is_checked_slice_by_slice() -> None:
    width, height = 1500, 1200  # 5.4 MB of rows: several slices
    rows = bytearray((b"\x01" + bytes(width * 3)) * height)
    png = images.read_png(_png(width, height, bytes(rows)))
    assert png is not None
    images.check_data(png)
    rows[(height - 1) * (1 + width * 3)] = 7  # the last row's filter
    png = images.read_png(_png(width, height, bytes(rows)))
    assert png is not None
    with pytest.raises(ValueError, match="unknown row filter"):
        images.check_data(png)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (b"\x00" + b"\x10" * 6, "does not match its size"),  # one row of two
        (b"\x00" + b"\x10" * 6 + b"\x09" + b"\x20" * 6, "unknown row filter"),
    ],
)
def test_image_data_that_does_not_fit_the_header_is_refused(rows: bytes, message: str) -> None:
    png = images.read_png(_png(2, 2, rows))
    assert png is not None
    with pytest.raises(ValueError, match=message):
        images.check_data(png)


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


def test_too_many_pixels_is_said_once(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_png(5000, 5000, b"\x00"))
    letterhead = tmp_path / "letterhead.toml"
    letterhead.write_text('organisation = "Amt"\nsidebar = ["Zeile"]\nlogo = "logo.png"\n')
    (tmp_path / "r.yaml").write_text(MINIMAL)
    result = run_cli("render", "r.yaml", "-l", letterhead, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"{letterhead}:3:1: logo: 'logo.png' has 5000x5000 pixels; the limit is 16,000,000"
    ]


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


def test_a_damaged_logo_is_named_at_its_line(tmp_path: Path) -> None:
    raw = bytearray(LOGO.read_bytes())
    raw[60] ^= 0xFF  # inside the image data
    (tmp_path / "logo.png").write_bytes(bytes(raw))
    letterhead = tmp_path / "letterhead.toml"
    letterhead.write_text('organisation = "Amt"\nsidebar = ["Zeile"]\nlogo = "logo.png"\n')
    (tmp_path / "r.yaml").write_text(MINIMAL)
    result = run_cli("render", "r.yaml", "-l", letterhead, cwd=tmp_path)
    assert result.returncode == 1
    assert "letterhead.toml:3:1: logo: 'logo.png' is not a readable image (the PNG's" in (
        result.stderr.decode()
    )
    assert not (tmp_path / "r.pdf").exists()
