"""The logo's file as data: PNG headers and image data checked before any PDF is made, and
a bad logo named at its letterhead's line (the PDF side is in ``tests/pdf/test_logo.py``)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

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
