"""Press photos, checked by what is in the PDF: the JPEG's own bytes behind DCTDecode, the
pixels upright as PDFium (Chrome's PDF engine) draws them, caption and credit as text in
order, the structure (Figure with Alt and BBox, then Caption), the PDF/UA and PDF/A checks,
and a clear ``file:line:col`` message for every bad photo."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageOps

from medieninfo.model import photofile as photos

from conftest import EXAMPLES, pdf_pages, render_ok, run_cli, squash
from photo_files import cmyk_profile, jpeg, png, quadrants, with_iptc, xmp_packet


def _sibling(name: str) -> Any:
    """A test module beside this one, loaded by its path: the tests run in pytest's
    importlib mode, where test modules cannot import each other by name. Only the checks
    taken from it below are used, so its own tests are not collected twice."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        f"photos_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


_pdfua = _sibling("test_pdfua")
check_tagged, check_pdfua_rules, walk = _pdfua.check_tagged, _pdfua.check_pdfua_rules, _pdfua.walk
KNOWN_FALSE_ALARMS = _sibling("test_pdfa").KNOWN_FALSE_ALARMS

EXAMPLE = EXAMPLES / "photos" / "release.yaml"
#: Four colours far apart, one per quadrant of the upright photo.
RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 180, 40), (30, 60, 220), (240, 220, 20)
QUADRANTS = (RED, GREEN, BLUE, YELLOW)
#: What each EXIF orientation's stored pixels are, made from the upright photo: the
#: inverse of what Pillow's exif_transpose does to show them.
STORE = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def release(body: str, photos_yaml: str = "", extra: str = "") -> str:
    text = "date: 2026-06-12\nheadline: Eine Überschrift mit Foto\n" + extra
    if photos_yaml:
        text += "photos:\n" + photos_yaml
    return (
        text + "body: |\n" + "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))
    )


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def figures(pdf_path: Path) -> list[dict[str, Any]]:
    """Figure and Caption elements below the Document, in structure order."""
    with pikepdf.open(pdf_path) as pdf:
        document = pdf.Root.StructTreeRoot.K[0]
        found = []
        for kid in document.K:
            if not isinstance(kid, pikepdf.Dictionary) or kid.S not in ("/Figure", "/Caption"):
                continue
            entry: dict[str, Any] = {"role": str(kid.S)[1:]}
            if "/Alt" in kid:
                entry["alt"] = str(kid.Alt)
            if "/A" in kid:
                entry["bbox"] = [float(v) for v in kid.A.BBox]
                entry["page"] = next(
                    i for i, page in enumerate(pdf.pages) if page.obj.objgen == kid.Pg.objgen
                )
            found.append(entry)
        return found


def images(pdf_path: Path) -> list[dict[str, Any]]:
    """Every image XObject the pages use: its dictionary's entries and its raw bytes."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for _name, image in page.obj.Resources.get("/XObject", {}).items():
                if image.get("/Subtype") != "/Image":
                    continue
                space = image.ColorSpace
                entry = {
                    "filter": str(image.get("/Filter")),
                    "raw": image.read_raw_bytes(),
                    "size": (int(image.Width), int(image.Height)),
                    "space": str(space) if isinstance(space, pikepdf.Name) else str(space[0]),
                    "smask": "/SMask" in image,
                }
                if entry["space"] == "/ICCBased":
                    entry["icc"] = (int(space[1].N), space[1].read_bytes())
                found.append(entry)
    return found


def render_page(pdf_path: Path, page: int, scale: float = 2.0) -> Image.Image:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        return document[page].render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()


def colour_at(image: Image.Image, bbox: list[float], fx: float, fy: float, scale: float) -> Any:
    """The colour at a fraction (fx from the left, fy from the top) of a box in PDF points."""
    x0, y0, x1, y1 = bbox
    height = image.height / scale
    x = (x0 + fx * (x1 - x0)) * scale
    y = (height - (y1 - fy * (y1 - y0))) * scale
    return image.getpixel((int(x), int(y)))


def near(got: Any, want: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(got[:3], want, strict=True))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_ok(EXAMPLE, tmp_path_factory.mktemp("photos") / "photos.pdf")


# ------------------------------------------------------------------ the example


def test_example_jpeg_passes_through_undecoded(example: Path) -> None:
    jpeg_bytes = (EXAMPLE.parent / "rathaus.jpg").read_bytes()
    streams = [image for image in images(example) if image["filter"] == "/DCTDecode"]
    assert len(streams) == 1
    assert streams[0]["raw"] == jpeg_bytes
    assert streams[0]["size"] == (800, 1200)  # stored on its side


def test_example_structure_figure_alt_bbox_then_caption(example: Path) -> None:
    found = figures(example)
    assert [entry["role"] for entry in found] == ["Figure", "Caption", "Figure", "Caption"]
    # The alt text is the file's IPTC alt text (XMP), never the caption.
    assert found[0]["alt"].startswith("Zeichnung: ein rotes Backsteinrathaus")
    assert found[2]["alt"] == (
        "Entwurfszeichnung eines Spielplatzes mit blauem Klettergerüst und roter Schaukel auf Sand."
    )
    for entry in found[::2]:
        x0, y0, x1, y1 = entry["bbox"]
        assert x1 - x0 > 100 and y1 - y0 > 100
    _, tree, _ = check_tagged(example)
    roles = [element.role for element in walk(tree)]
    # Reading order: the photo named in the body before the subheading, the listed one
    # after the body's last paragraph (the logo is the Aside's Figure, first of all).
    body_figures = [index for index, role in enumerate(roles) if role == "Figure"][1:]
    assert body_figures[0] < roles.index("H2") < body_figures[1]
    assert roles[body_figures[0] + 1] == roles[body_figures[1] + 1] == "Caption"


def test_example_caption_and_credit_text_in_order(example: Path) -> None:
    pages = pdf_pages(example)
    text = squash("".join(pages))
    caption = squash("Das Rathaus am Friedensplatz, von Süden gesehen.")
    credit = squash("Foto: Stadt Musterstadt / Erika Beispiel · © 2026 Stadt Musterstadt")
    assert caption in text and credit in text
    assert text.index(caption) < text.index(credit)
    assert squash("Foto: Stadt Musterstadt, Grünflächenamt") in text
    # The alt text is not printed; the file names are not either.
    assert squash("Backsteinrathaus") not in text and "rathaus.jpg" not in text


def test_example_is_upright_in_pdfium(example: Path) -> None:
    found = figures(example)
    scale = 2.0
    page = render_page(example, found[0]["page"], scale)
    bbox = found[0]["bbox"]
    # The drawing: sky at the top, lawn at the bottom (stored turned on its side).
    assert near(colour_at(page, bbox, 0.05, 0.05, scale), (150, 190, 230))
    assert near(colour_at(page, bbox, 0.05, 0.95, scale), (90, 150, 70))


def test_example_passes_pdfua_and_pdfa_checks(example: Path) -> None:
    assert_conforming(example)


def test_example_png_has_a_soft_mask(example: Path) -> None:
    png_photo = [image for image in images(example) if image["size"] == (900, 600)]
    assert len(png_photo) == 1 and png_photo[0]["smask"]


def test_same_input_same_bytes(example: Path, tmp_path: Path) -> None:
    again = render_ok(EXAMPLE, tmp_path / "again.pdf")
    assert again.read_bytes() == example.read_bytes()


# ------------------------------------------------------------------ pixels


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_shown_upright(tmp_path: Path, orientation: int) -> None:
    upright = quadrants(400, 300, QUADRANTS)
    turn = STORE[orientation]
    stored = upright if turn is None else upright.transpose(turn)
    data = jpeg(stored, orientation=orientation, quality=95)
    write(tmp_path, "foto.jpg", data)
    # The test's own premise, checked with Pillow: the file shows the upright photo.
    import io

    shown = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    assert shown.size == upright.size and near(shown.getpixel((10, 10)), RED)
    source = tmp_path / "release.yaml"
    source.write_text(
        release("Text.\n\n![Vier Farbfelder](foto.jpg)", "  - file: foto.jpg\n    credit: Test\n"),
        encoding="utf-8",
    )
    pdf = render_ok(source, tmp_path / "release.pdf")
    assert images(pdf)[0]["raw"] == data  # passed through, whatever the orientation
    found = figures(pdf)
    bbox = found[0]["bbox"]
    assert (bbox[2] - bbox[0]) / (bbox[3] - bbox[1]) == pytest.approx(4 / 3, rel=0.01)
    scale = 2.0
    page = render_page(pdf, found[0]["page"], scale)
    got = [colour_at(page, bbox, fx, fy, scale) for fy in (0.25, 0.75) for fx in (0.25, 0.75)]
    assert [near(colour, want) for colour, want in zip(got, QUADRANTS, strict=True)] == [True] * 4


def test_a_small_photo_is_never_enlarged(tmp_path: Path) -> None:
    write(tmp_path, "klein.jpg", jpeg(quadrants(300, 200, QUADRANTS)))
    source = tmp_path / "release.yaml"
    source.write_text(
        release("![Klein](klein.jpg)", "  - file: klein.jpg\n    credit: Test\n"), "utf-8"
    )
    bbox = figures(render_ok(source, tmp_path / "release.pdf"))[0]["bbox"]
    assert bbox[2] - bbox[0] == pytest.approx(300 * 72 / 150, abs=0.05)  # 150 dpi, not wider


def test_a_large_photo_spans_the_text_column(example: Path) -> None:
    from medieninfo.model.letterhead import load_letterhead

    column = load_letterhead(EXAMPLES / "musterstadt" / "letterhead.toml").geometry.text_width
    bbox = figures(example)[0]["bbox"]
    assert bbox[2] - bbox[0] == pytest.approx(column * 72 / 25.4, abs=0.1)


def test_cmyk_jpeg_without_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    cyan, magenta = (255, 0, 0, 0), (0, 255, 0, 0)
    image = Image.new("CMYK", (400, 300), cyan)
    image.paste(magenta, (200, 0, 400, 300))
    write(tmp_path, "cmyk.jpg", jpeg(image, quality=95))
    source = tmp_path / "release.yaml"
    source.write_text(
        release("![Cyan und Magenta](cmyk.jpg)", "  - file: cmyk.jpg\n    credit: Test\n"),
        "utf-8",
    )
    pdf = render_ok(source, tmp_path / "release.pdf")
    stream = images(pdf)[0]
    assert stream["space"] == "/DeviceRGB" and stream["filter"] == "/DCTDecode"
    bbox = figures(pdf)[0]["bbox"]
    page = render_page(pdf, 0)
    assert near(colour_at(page, bbox, 0.25, 0.5, 2.0), (0, 255, 255))
    assert near(colour_at(page, bbox, 0.75, 0.5, 2.0), (255, 0, 255))
    assert_conforming(pdf)


def test_cmyk_jpeg_with_a_profile_passes_through_and_pdfium_shows_its_colours(
    tmp_path: Path,
) -> None:
    # Pillow writes CMYK JPEGs as Photoshop does: inverted, with Adobe's APP14 marker.
    profile = cmyk_profile()
    image = Image.new("CMYK", (400, 300), (255, 0, 0, 0))
    image.paste((0, 255, 0, 0), (200, 0, 400, 300))
    data = jpeg(image, quality=95, icc_profile=profile)
    write(tmp_path, "cmyk.jpg", data)
    source = tmp_path / "release.yaml"
    source.write_text(
        release("![Cyan und Magenta](cmyk.jpg)", "  - file: cmyk.jpg\n    credit: Test\n"),
        "utf-8",
    )
    pdf = render_ok(source, tmp_path / "release.pdf")
    stream = images(pdf)[0]
    assert stream["raw"] == data and stream["icc"] == (4, profile)
    bbox = figures(pdf)[0]["bbox"]
    page = render_page(pdf, 0)
    assert near(colour_at(page, bbox, 0.25, 0.5, 2.0), (0, 255, 255))
    assert near(colour_at(page, bbox, 0.75, 0.5, 2.0), (255, 0, 255))
    assert_conforming(pdf)


def assert_conforming(pdf: Path) -> None:
    """Our tagging checks, pdfua's rules and pikepdf's PDF/A-2 validator, as for the
    examples without photos."""
    import re

    from pikepdf import pdfa

    check_tagged(pdf)
    check_pdfua_rules(pdf)
    report = pdfa.validate_written(pdf, "2b")
    unexplained = [
        str(finding)
        for finding in report.findings
        if not any(re.search(pattern, str(finding)) for pattern in KNOWN_FALSE_ALARMS)
    ]
    assert unexplained == []


def test_a_jpeg_with_its_own_icc_profile_keeps_it_as_iccbased(tmp_path: Path) -> None:
    from medieninfo.pdf.pdfa import srgb_profile

    data = jpeg(quadrants(400, 300, QUADRANTS), icc_profile=srgb_profile())
    write(tmp_path, "icc.jpg", data)
    source = tmp_path / "release.yaml"
    source.write_text(release("![Farben](icc.jpg)", "  - file: icc.jpg\n    credit: T\n"), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    stream = images(pdf)[0]
    assert stream["raw"] == data
    assert stream["space"] == "/ICCBased" and stream["icc"] == (3, srgb_profile())
    page = render_page(pdf, 0)
    assert near(colour_at(page, figures(pdf)[0]["bbox"], 0.25, 0.25, 2.0), RED)


def test_sixteen_bit_and_palette_pngs_are_drawn(tmp_path: Path) -> None:
    grey16 = Image.new("I;16", (300, 200), 0x8080)
    palette = quadrants(300, 200, QUADRANTS).convert("P")
    write(tmp_path, "grau.png", png(grey16))
    write(tmp_path, "palette.png", png(palette))
    entries = "  - file: grau.png\n    credit: T\n  - file: palette.png\n    credit: T\n"
    source = tmp_path / "release.yaml"
    source.write_text(release("![Grau](grau.png)\n\n![Farben](palette.png)", entries), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    found = figures(pdf)
    page = render_page(pdf, found[0]["page"])
    assert near(colour_at(page, found[0]["bbox"], 0.5, 0.5, 2.0), (128, 128, 128), 6)
    page = render_page(pdf, found[2]["page"])
    assert near(colour_at(page, found[2]["bbox"], 0.75, 0.75, 2.0), YELLOW)
    assert_conforming(pdf)


# ------------------------------------------------------------------ release format


def test_iptc_metadata_fills_caption_credit_and_rights(tmp_path: Path) -> None:
    data = with_iptc(
        jpeg(quadrants(400, 300, QUADRANTS)),
        caption="Kinder auf dem Klettergerüst",
        byline="Max Muster",
        copyright="© Stadt",
    )
    path = write(tmp_path, "iptc.jpg", data)
    read = photos.read_photo(path)
    assert (read.caption, read.credit, read.rights, read.alt) == (
        "Kinder auf dem Klettergerüst",
        "Max Muster",
        "© Stadt",
        None,
    )
    source = tmp_path / "release.yaml"
    source.write_text(release("![Kinder klettern](iptc.jpg)", extra="lang: en-GB\n"), "utf-8")
    text = squash("".join(pdf_pages(render_ok(source, tmp_path / "release.pdf"))))
    assert squash("Kinder auf dem Klettergerüst") in text
    assert squash("Photo: Max Muster · © Stadt") in text


def test_xmp_wins_over_iptc_and_the_release_over_both(tmp_path: Path) -> None:
    xmp = xmp_packet(description="XMP-Text", credit="XMP-Credit", alt="XMP-Alt")
    data = with_iptc(jpeg(quadrants(400, 300, QUADRANTS), xmp=xmp), caption="IIM", credit="IIM")
    path = write(tmp_path, "both.jpg", data)
    read = photos.read_photo(path)
    assert (read.caption, read.credit, read.alt) == ("XMP-Text", "XMP-Credit", "XMP-Alt")
    source = tmp_path / "release.yaml"
    source.write_text(
        release("![](both.jpg)", "  - file: both.jpg\n    caption: Eigene Zeile\n", "lang: fr\n"),
        "utf-8",
    )
    pdf = render_ok(source, tmp_path / "release.pdf")
    text = "".join(pdf_pages(pdf))
    assert "Eigene Zeile" in text and "XMP-Text" not in text
    assert "Photo\u00a0: XMP-Credit" in text or "Photo : XMP-Credit" in text
    assert figures(pdf)[0]["alt"] == "XMP-Alt"


def test_a_photos_entry_alone_is_shown_after_the_body_and_toml_works(tmp_path: Path) -> None:
    from medieninfo.model.png import read_png

    data = png(quadrants(400, 300, QUADRANTS))
    write(tmp_path, "foto.png", data)
    source = tmp_path / "release.toml"
    source.write_text(
        'date = 2026-06-12\nheadline = "Eine Überschrift"\nbody = "Der Text."\n'
        'contact = "Erika Beispiel"\n'
        '[[photos]]\nfile = "foto.png"\ncaption = "Vier Farben"\ncredit = "Erika"\n'
        'alt = "Vier farbige Felder"\n',
        "utf-8",
    )
    pdf = render_ok(source, tmp_path / "release.pdf")
    text = squash("".join(pdf_pages(pdf)))
    assert text.index(squash("Der Text.")) < text.index(squash("Vier Farben"))
    assert [entry["role"] for entry in figures(pdf)] == ["Figure", "Caption"]
    # An 8-bit RGB PNG passes through: the stream is the file's image data.
    parsed = read_png(data)
    assert parsed is not None
    assert [image["raw"] for image in images(pdf) if image["size"] == (400, 300)] == [parsed.data]
    page = render_page(pdf, 0)
    assert near(colour_at(page, figures(pdf)[0]["bbox"], 0.75, 0.25, 2.0), GREEN)


def test_a_decorative_photo_is_an_artifact(tmp_path: Path) -> None:
    write(tmp_path, "deko.png", png(quadrants(400, 300, QUADRANTS)))
    source = tmp_path / "release.yaml"
    entry = "  - file: deko.png\n    decorative: true\n    credit: Erika\n"
    source.write_text(release("Text.", entry), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    assert figures(pdf) == []
    check_tagged(pdf)
    check_pdfua_rules(pdf)
    assert "Foto: Erika" in "".join(pdf_pages(pdf))


def test_the_schema_and_the_template_show_photos(tmp_path: Path) -> None:
    import jsonschema
    import yaml

    result = run_cli("schema")
    schema = json.loads(result.stdout)
    assert "photos" in schema["properties"]
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["date"] = str(data["date"])
    jsonschema.validate(data, schema)
    data["photos"].append({"fiel": "x.jpg"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
    new = tmp_path / "neu.yaml"
    assert run_cli("new", new).returncode == 0
    assert "photos:" in new.read_text(encoding="utf-8")


def test_dependencies_include_the_photos() -> None:
    from medieninfo.render import dependencies

    found = dependencies(EXAMPLE)
    assert (EXAMPLE.parent / "rathaus.jpg").resolve() in found
    assert (EXAMPLE.parent / "spielplatz.png").resolve() in found


# ------------------------------------------------------------------ layout


def test_a_photo_that_does_not_fit_floats_to_the_next_page(tmp_path: Path) -> None:
    write(tmp_path, "hoch.jpg", jpeg(quadrants(900, 1200, QUADRANTS)))
    sentence = "Ein Satz über den neuen Spielplatz, der lang genug für eine Zeile ist. "
    before = "\n\n".join(sentence * 4 for _ in range(6))
    after = "Danach geht der Text weiter. " + sentence * 3
    body = f"{before}\n\n![Hochformat](hoch.jpg)\n\n{after}\n\nNoch ein Absatz. {sentence * 3}"
    source = tmp_path / "release.yaml"
    source.write_text(release(body, "  - file: hoch.jpg\n    credit: Erika\n"), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    pages = pdf_pages(pdf)
    found = figures(pdf)
    assert found[0]["page"] == 1, "the photo does not fit on page 1"
    # The text after the photo fills page 1 instead of leaving it half empty ...
    assert "Danach geht der Text weiter" in pages[0]
    # ... and the photo stands at the top of page 2, with its credit on the same page.
    assert found[0]["bbox"][3] == pytest.approx((297 - 45) * 72 / 25.4, abs=1)
    assert "Foto: Erika" in pages[1]
    check_tagged(pdf)


# ------------------------------------------------------------------ bad photos


def _check(tmp_path: Path, text: str) -> str:
    source = tmp_path / "release.yaml"
    source.write_text(text, encoding="utf-8")
    result = run_cli("check", source)
    assert result.returncode == 1, result.stdout
    message = result.stderr.decode()
    assert "Traceback" not in message and "internal error" not in message
    return message.replace(str(source), "release.yaml")


def _png_header(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    rows = zlib.compress(b"\0" * 16)
    idat = b"IDAT" + rows
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", len(rows))
        + idat
        + struct.pack(">I", zlib.crc32(idat))
        + b"\0\0\0\0IEND\xaeB`\x82"
    )


BODY_AT = "release.yaml:6:3: photo '{}'"  # "  ![Alt](…)" on line 6, column 3


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("kaputt.jpg", lambda: jpeg(quadrants(400, 300, QUADRANTS))[:3000], "damaged"),
        ("bild.gif", lambda: _gif(), "is GIF; use a JPEG"),
        ("riesig.png", lambda: _png_header(20_000, 20_000), "too many pixels"),
        ("riesig.jpg", lambda: _jpeg_header(20_000, 20_000), "too many pixels"),
        ("text.jpg", lambda: b"not an image at all", "not a readable image"),
        ("iphone.jpg", lambda: b"\0\0\0\x18ftypheic" + bytes(40), "HEIC/HEIF photo"),
    ],
)
def test_bad_photo_files_are_refused_at_their_line(
    tmp_path: Path, name: str, make: Any, message: str
) -> None:
    write(tmp_path, name, make())
    got = _check(tmp_path, _body(name))
    assert got.startswith(BODY_AT.format(name)), got
    assert message in got


def _jpeg_header(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims another size."""
    data = bytearray(jpeg(quadrants(40, 30, QUADRANTS)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _gif() -> bytes:
    import io

    out = io.BytesIO()
    quadrants(40, 30, QUADRANTS).save(out, "GIF")
    return out.getvalue()


def _body(name: str) -> str:
    return (
        "date: 2026-06-12\nheadline: Überschrift\ncontact: Erika\nbody: |\n  Text.\n"
        f"  ![Alt]({name})\n"
    )


def test_a_symlink_out_of_the_folder_and_other_paths_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside, "geheim.jpg", jpeg(quadrants(40, 30, QUADRANTS)))
    folder = tmp_path / "release"
    folder.mkdir()
    os.symlink(outside / "geheim.jpg", folder / "link.jpg")
    os.mkfifo(folder / "pipe.jpg")
    source = folder / "release.yaml"
    source.write_text(
        "date: 2026-06-12\nheadline: Überschrift\nbody: |\n  Text.\n"
        "  ![Alt](link.jpg)\n"
        "  ![Alt](../outside/geheim.jpg) ![Alt](/etc/passwd)\n"
        "  ![Alt](https://example.org/foto.jpg)\n"
        "  ![Alt](fehlt.jpg)\n"
        "  ![Alt](pipe.jpg)\n",
        encoding="utf-8",
    )
    result = run_cli("check", source)
    assert result.returncode == 1
    lines = result.stderr.decode().replace(str(source), "release.yaml").splitlines()
    assert lines[0].startswith("release.yaml:5:3: photo 'link.jpg' is outside the release's")
    assert lines[1].startswith("release.yaml:6:3: photo '../outside/geheim.jpg' is outside")
    assert lines[2].startswith("release.yaml:6:33: photo '/etc/passwd' is outside")
    assert lines[3].startswith("release.yaml:7:3: photo 'https://example.org/foto.jpg' is an")
    assert lines[4].startswith("release.yaml:8:3: photo 'fehlt.jpg' not found")
    assert lines[5].startswith("release.yaml:9:3: photo 'pipe.jpg' is not a regular file")
    assert len(lines) == 6


def test_missing_alt_text_and_credit_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "foto.jpg", jpeg(quadrants(400, 300, QUADRANTS)))
    got = _check(
        tmp_path, "date: 2026-06-12\nheadline: Überschrift\nbody: |\n  Text.\n\n  ![](foto.jpg)\n"
    )
    lines = got.splitlines()
    assert lines[0].startswith("release.yaml:6:3: photo 'foto.jpg': no alternative text")
    assert lines[1].startswith("release.yaml:6:3: photo 'foto.jpg': no credit")


def test_bad_photos_entries_are_refused_at_their_line(tmp_path: Path) -> None:
    got = _check(
        tmp_path,
        "date: 2026-06-12\nheadline: Überschrift\nbody: Text.\nphotos:\n"
        "  - file: foto.jpg\n    credits: Erika\n",
    )
    assert got.startswith("release.yaml:6:5: photos: unknown key 'credits' in a photo"), got
    got = _check(tmp_path, "date: 2026-06-12\nheadline: Ü\nbody: Text.\nphotos:\n  - fehlt.png\n")
    assert got.startswith("release.yaml:5:5: photo 'fehlt.png' not found"), got
    got = _check(tmp_path, "date: 2026-06-12\nheadline: Ü\nbody: Text.\nphotos: foto.jpg\n")
    assert got.startswith("release.yaml:4:9: photos: expected a list of photos"), got


def test_a_photo_in_a_list_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "foto.jpg", jpeg(quadrants(400, 300, QUADRANTS)))
    got = _check(tmp_path, "date: 2026-06-12\nheadline: Ü\nbody: |\n  - Punkt ![Alt](foto.jpg)\n")
    assert got.startswith("release.yaml:4:11: body: the photo 'foto.jpg' stands in a list")


def test_limits_from_the_header_before_decoding(tmp_path: Path, monkeypatch: Any) -> None:
    path = write(tmp_path, "foto.jpg", jpeg(quadrants(400, 300, QUADRANTS)))
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 1000)
    with pytest.raises(ValueError, match="larger than"):
        photos.read_photo(path)
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 10**8)
    monkeypatch.setattr(photos, "MAX_PHOTO_PIXELS", 1000)
    with pytest.raises(ValueError, match="400x300 pixels are too many"):
        photos.read_photo(path)
    # A PNG has its own, lower limit (it is decoded and compressed again).
    large_png = write(tmp_path, "gross.png", png(quadrants(5000, 3400, QUADRANTS)))
    with pytest.raises(
        ValueError, match="5000x3400 pixels are too many; the limit is 16,000,000 for a PNG"
    ):
        photos.read_photo(large_png)


def test_an_xmp_packet_with_entities_is_ignored() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&a;</x:xmpmeta>'
    )
    assert photos._xmp(bomb, "de") == {}


def test_a_release_without_photos_loads_no_photo_code(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from medieninfo.render import render_file\n"
        f"render_file(None, source=Path({str(EXAMPLES / 'eu-mission.yaml')!r}))\n"
        "for name in ('photo', 'photofile', 'figures'):\n"
        "    assert f'medieninfo.model.{name}' not in sys.modules, name\n"
        "assert 'medieninfo.pdf.figure' not in sys.modules\n"
        "assert 'PIL.IptcImagePlugin' not in sys.modules\n"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_a_letterhead_photo_dpi_downsamples_and_keeps_orientation(tmp_path: Path) -> None:
    upright = quadrants(2000, 1500, QUADRANTS)
    data = jpeg(upright.transpose(Image.Transpose.ROTATE_90), orientation=6)
    write(tmp_path, "gross.jpg", data)
    letterhead = tmp_path / "letterhead.yaml"
    letterhead.write_text(
        "organisation: Musterstadt\nsidebar: [Pressestelle]\nphoto_dpi: 96\n", encoding="utf-8"
    )
    source = tmp_path / "release.yaml"
    source.write_text(
        release("![Farben](gross.jpg)", "  - file: gross.jpg\n    credit: T\n")
        + "letterhead: letterhead.yaml\n",
        "utf-8",
    )
    pdf = render_ok(source, tmp_path / "release.pdf")
    stream = images(pdf)[0]
    bbox = figures(pdf)[0]["bbox"]
    wanted = round((bbox[2] - bbox[0]) / 72 * 96)
    # Stored on its side: the upright width is the stored height.
    assert stream["size"][1] == wanted and stream["raw"] != data
    page = render_page(pdf, 0)
    got = [colour_at(page, bbox, fx, fy, 2.0) for fy in (0.25, 0.75) for fx in (0.25, 0.75)]
    assert [near(colour, want) for colour, want in zip(got, QUADRANTS, strict=True)] == [True] * 4
    letterhead.write_text(
        "organisation: Musterstadt\nsidebar: [Pressestelle]\nphoto_dpi: 5000\n", encoding="utf-8"
    )
    result = run_cli("check", source)
    assert result.returncode == 1
    assert "letterhead.yaml:3:12: photo_dpi: must be between 72 and 600" in result.stderr.decode()


def test_toml_photos_are_reported_at_their_own_lines(tmp_path: Path) -> None:
    source = tmp_path / "release.toml"
    source.write_text(
        'date = 2026-06-12\nheadline = "Ü"\nbody = """\nText\n\n![Alt](fehlt.jpg)\n"""\n\n'
        '[[photos]]\nfile = "a.png"\n\n[[photos]]\ncaption = "x"\nfile = "b.png"\n',
        encoding="utf-8",
    )
    result = run_cli("check", source)
    lines = result.stderr.decode().replace(str(source), "release.toml").splitlines()
    assert lines == [
        "release.toml:6:1: photo 'fehlt.jpg' not found next to the release",
        "release.toml:10:1: photo 'a.png' not found next to the release",
        "release.toml:14:1: photo 'b.png' not found next to the release",
    ]


def test_a_page_with_only_a_photo_is_not_a_short_last_page() -> None:
    result = run_cli("check", "--report", EXAMPLE)
    assert result.returncode == 0
    assert "layout report: nothing to remark" in result.stderr.decode()


@pytest.mark.parametrize("seed", range(6))
def test_many_photos_anywhere_are_each_drawn_once(tmp_path: Path, seed: int) -> None:
    import random

    chooser = random.Random(seed)
    write(tmp_path, "hoch.jpg", jpeg(quadrants(600, 900, QUADRANTS)))
    write(tmp_path, "quer.png", png(quadrants(900, 500, QUADRANTS)))
    sentence = "Ein Satz über den neuen Spielplatz, der lang genug für eine Zeile ist. "
    parts = []
    for index in range(12):
        kind = chooser.choice(["text", "text", "photo", "heading", "list"])
        if kind == "photo":
            parts.append(f"![Foto {index}]({chooser.choice(['hoch.jpg', 'quer.png'])})")
        elif kind == "heading":
            parts.append(f"## Abschnitt {index}")
        elif kind == "list":
            parts.append("- eins\n- zwei")
        else:
            parts.append(sentence * chooser.randint(1, 12))
    parts.append("![Zum Schluss](hoch.jpg)")
    entries = (
        "  - file: hoch.jpg\n    credit: A\n"
        "  - file: quer.png\n    credit: B\n    alt: Ein Querformat\n"
    )
    source = tmp_path / "release.yaml"
    source.write_text(release("\n\n".join(parts), entries), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    drawn = [entry for entry in figures(pdf) if entry["role"] == "Figure"]
    # Each photo the body names where it names it, and a listed one it does not name after.
    named = sum(part.startswith("![") for part in parts)
    assert len(drawn) == named + (not any("quer.png" in part for part in parts))
    assert all("bbox" in entry for entry in drawn)
    check_tagged(pdf)  # every photo's MCID drawn once and referenced once


def _png16(width: int, height: int, colour: tuple[int, ...]) -> bytes:
    """A 16-bit PNG of one colour (RGB, or RGBA with four values), written by hand: Pillow
    cannot write 16-bit colour PNGs."""
    colour_type = 6 if len(colour) == 4 else 2
    pixel = b"".join(struct.pack(">H", value * 257) for value in colour)
    rows = (b"\0" + pixel * width) * height

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 16, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_progressive_grey_and_sixteen_bit_colour_photos(tmp_path: Path) -> None:
    progressive = jpeg(quadrants(400, 300, QUADRANTS), progressive=True)
    grey = jpeg(Image.new("L", (400, 300), 200))
    write(tmp_path, "progressiv.jpg", progressive)
    write(tmp_path, "grau.jpg", grey)
    write(tmp_path, "tief.png", _png16(400, 300, (30, 60, 220)))
    write(tmp_path, "tief-alpha.png", _png16(400, 300, (240, 220, 20, 255)))
    names = ["progressiv.jpg", "grau.jpg", "tief.png", "tief-alpha.png"]
    entries = "".join(f"  - file: {name}\n    credit: T\n" for name in names)
    body = "\n\n".join(f"![Bild {index}]({name})" for index, name in enumerate(names))
    source = tmp_path / "release.yaml"
    source.write_text(release(body, entries), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    streams = images(pdf)
    passed = {s["raw"]: s["space"] for s in streams if s["filter"] == "/DCTDecode"}
    assert passed == {progressive: "/DeviceRGB", grey: "/DeviceGray"}
    found = [entry for entry in figures(pdf) if entry["role"] == "Figure"]
    want = [RED, (200, 200, 200), (30, 60, 220), (240, 220, 20)]
    for entry, colour in zip(found, want, strict=True):
        page = render_page(pdf, entry["page"])
        assert near(colour_at(page, entry["bbox"], 0.2, 0.2, 2.0), colour), entry
    assert_conforming(pdf)


def test_a_markdown_title_is_the_caption(tmp_path: Path) -> None:
    write(tmp_path, "foto.jpg", jpeg(quadrants(400, 300, QUADRANTS)))
    source = tmp_path / "release.yaml"
    body = '![Vier Farbfelder](foto.jpg "Vier Farben auf einen Blick")'
    source.write_text(release(body, "  - file: foto.jpg\n    credit: Erika\n"), "utf-8")
    pdf = render_ok(source, tmp_path / "release.pdf")
    text = "".join(pdf_pages(pdf))
    assert "Vier Farben auf einen Blick" in text and "Foto: Erika" in text
    assert figures(pdf)[0]["alt"] == "Vier Farbfelder"


def test_too_many_photos_and_too_many_bytes_are_refused(tmp_path: Path, monkeypatch: Any) -> None:
    from medieninfo.errors import InputError
    from medieninfo.model import figures as figure_checks
    from medieninfo.model.release import load_release
    from medieninfo.render import letterhead_for, prepare

    write(tmp_path, "a.jpg", jpeg(quadrants(40, 30, QUADRANTS)))
    write(tmp_path, "b.jpg", jpeg(quadrants(40, 30, QUADRANTS)))
    entries = "  - file: a.jpg\n    credit: A\n  - file: b.jpg\n    credit: B\n"
    source = tmp_path / "release.yaml"
    source.write_text(release("![Eins](a.jpg)\n\n![Zwei](b.jpg)", entries), "utf-8")
    loaded = load_release(source)
    prepare(loaded, letterhead_for(loaded))  # two are fine
    monkeypatch.setattr(figure_checks, "MAX_PHOTOS", 1)
    with pytest.raises(InputError, match=r"more than 1 photos") as error:
        prepare(loaded, letterhead_for(loaded))
    assert (error.value.problems[0].line, error.value.problems[0].column) == (11, 3)
    monkeypatch.setattr(figure_checks, "MAX_PHOTOS", 20)
    monkeypatch.setattr(figure_checks, "MAX_TOTAL_BYTES", 100)
    with pytest.raises(InputError, match="together larger than"):
        prepare(loaded, letterhead_for(loaded))


def test_a_credit_with_its_own_label_is_not_labelled_twice(tmp_path: Path) -> None:
    data = with_iptc(jpeg(quadrants(400, 300, QUADRANTS)), credit="Foto: Erika Beispiel")
    write(tmp_path, "foto.jpg", data)
    source = tmp_path / "release.yaml"
    source.write_text(release("![Vier Farben](foto.jpg)"), "utf-8")
    text = "".join(pdf_pages(render_ok(source, tmp_path / "release.pdf")))
    assert "Foto: Erika Beispiel" in text and "Foto: Foto:" not in text


def test_an_unusable_icc_profile_is_not_embedded() -> None:
    from medieninfo.pdf.figure import icc_components
    from medieninfo.pdf.pdfa import srgb_profile

    good = srgb_profile()
    assert icc_components(good) == 3
    assert icc_components(cmyk_profile()) == 4
    assert icc_components(good[:-1]) is None  # size field disagrees
    assert icc_components(good[:12] + b"link" + good[16:]) is None  # a device link
    assert icc_components(b"") is None


def test_a_character_no_font_has_in_a_files_caption_is_reported_at_the_photo(
    tmp_path: Path,
) -> None:
    data = with_iptc(jpeg(quadrants(40, 30, QUADRANTS)), caption="Sonne 😀", credit="Erika")
    write(tmp_path, "foto.jpg", data)
    got = _check(
        tmp_path, "date: 2026-06-12\nheadline: Ü\nbody: |\n  Text.\n\n  ![Alt](foto.jpg)\n"
    )
    assert got.startswith("release.yaml:6: body: character '😀' (U+1F600"), got


def _independent_findings(pdf: Path) -> list[str]:
    """What page-validation (PDF/A-2u, PDF/UA-1), outloud and poppler say about a PDF."""
    import page

    found = []
    for profile in ("2u", "ua1"):
        report = page.validate_pdf(str(pdf), profile=profile)
        found += [f"page {profile} {f.rule_id}: {f.message}" for f in report.failures]
        assert report.rules.total > 20, "the profile ran its rules"
    result = subprocess.run(
        [str(Path(sys.executable).with_name("outloud")), "--json", "-", str(pdf)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)["results"][0]
    found += [f"outloud {f['rule']} {f['severity']}: {f['message']}" for f in report["findings"]]
    if report["verdict"] != "pass":
        found.append(f"outloud verdict {report['verdict']}")
    poppler = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, timeout=60
    )
    if poppler.returncode or poppler.stderr.strip():
        found.append(f"pdfinfo: {poppler.stderr.strip()}")
    assert poppler.stdout.count("Figure:") >= 1 and "/BBox" in poppler.stdout
    return found


def test_independent_validators_accept_every_kind_of_photo(example: Path, tmp_path: Path) -> None:
    cmyk = Image.new("CMYK", (400, 300), (255, 0, 0, 0))
    files = {
        "cmyk-icc.jpg": jpeg(cmyk, icc_profile=cmyk_profile()),
        "cmyk.jpg": jpeg(cmyk),
        "grau.jpg": jpeg(Image.new("L", (400, 300), 200), orientation=8),
        "tief-alpha.png": _png16(400, 300, (240, 220, 20, 128)),
        "palette.png": png(quadrants(300, 200, QUADRANTS).convert("P")),
    }
    for name, data in files.items():
        write(tmp_path, name, data)
    entries = "".join(f"  - file: {name}\n    credit: T\n" for name in files)
    body = "\n\n".join(f"![Bild {index}]({name})" for index, name in enumerate(files))
    source = tmp_path / "release.yaml"
    source.write_text(release(body, entries), "utf-8")
    mixed = render_ok(source, tmp_path / "release.pdf")
    assert _independent_findings(example) == []
    assert _independent_findings(mixed) == []
