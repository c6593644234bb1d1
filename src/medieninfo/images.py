"""Draw stage: the letterhead's logo, carried into the PDF without decoding it where PDF allows.

A PNG's image data is a zlib stream of rows, each behind a one-byte filter type: exactly what
PDF's ``FlateDecode`` filter with PNG predictors reads (ISO 32000-1, 7.4.4.4). So an 8-bit grey
or RGB PNG that is not interlaced goes into the PDF as it is: no Pillow, no decoding of every
pixel, no second compression (~10 ms of a cold render). img2pdf, fpdf2 and pdf-lib embed PNGs
the same way. Every other logo (JPEG, alpha, palette, 16-bit, interlaced) takes ReportLab's
own path through Pillow.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from hashlib import md5
from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3}  # PNG colour type -> samples per pixel, for the types PDF can carry


@dataclass(frozen=True)
class Png:
    """A PNG's header and its image data, still compressed."""

    width: int
    height: int
    colour_type: int
    bit_depth: int
    interlaced: bool
    data: bytes

    @property
    def passes_through(self) -> bool:
        """Whether PDF can carry the data unchanged (else ReportLab decodes it)."""
        return self.bit_depth == 8 and self.colour_type in _CHANNELS and not self.interlaced


def read_png(raw: bytes) -> Png | None:
    """The PNG in ``raw``, or None if ``raw`` is not a PNG at all.

    Raises ValueError, with what is wrong, for a PNG that is damaged.
    """
    if not raw.startswith(_SIGNATURE):
        return None
    header: tuple[int, ...] | None = None
    chunks: list[bytes] = []
    position = len(_SIGNATURE)
    while True:
        if position + 8 > len(raw):
            raise ValueError("the PNG ends before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", raw, position)
        body = raw[position + 8 : position + 8 + length]
        crc = raw[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise ValueError("the PNG ends inside a chunk")
        if zlib.crc32(kind + body) != int.from_bytes(crc, "big"):
            raise ValueError(f"the PNG's {kind.decode('latin-1')!r} chunk is damaged")
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None or not chunks:
        raise ValueError("the PNG has no image header or no image data")
    width, height, bit_depth, colour_type, _, _, interlace = header
    if not width or not height:
        raise ValueError("the PNG has no pixels")
    return Png(width, height, colour_type, bit_depth, bool(interlace), b"".join(chunks))


def check_data(png: Png) -> None:
    """Raise ValueError unless a pass-through PNG's data inflates to exactly its rows.

    Only called once the pixel count is known to be sane: it inflates the whole image.
    """
    row = 1 + png.width * _CHANNELS[png.colour_type]
    expected = row * png.height
    inflater = zlib.decompressobj()
    try:
        rows = inflater.decompress(png.data, expected + 1)
    except zlib.error as exc:
        raise ValueError(f"the PNG's image data is damaged ({exc})") from None
    if len(rows) != expected or not inflater.eof:
        raise ValueError("the PNG's image data does not match its size")
    if max(rows[::row]) > 4:
        raise ValueError("the PNG's image data has an unknown row filter")


def draw_logo(canvas: Any, path: Path, x: float, y: float, width: float, height: float) -> None:
    """Draw the logo file at ``path`` into the box, once per document however many pages."""
    png = read_png(path.read_bytes()) if path.suffix.lower() == ".png" else None
    if png is None or not png.passes_through:
        # By file name: ReportLab then decodes the logo once per document, not once per page.
        canvas.drawImage(str(path), x, y, width, height)
        return
    name = f"png{md5(png.data, usedforsecurity=False).hexdigest()}"
    document = canvas._doc
    reference = document.getXObjectName(name)
    if reference not in document.idToObject:
        image = _PngImage(name, png)
        document.Reference(image, reference)
        document.addForm(name, image)
    # What Canvas.drawImage does once it has its image object.
    canvas._currentPageHasImages = 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{reference} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)


class _PngImage(PDFObject):
    """An image XObject whose stream is a PNG's data, decoded by the PDF reader."""

    def __init__(self, name: str, png: Png) -> None:
        self.name = name
        self.png = png

    def format(self, document: Any) -> bytes:
        png = self.png
        colours = _CHANNELS[png.colour_type]
        dictionary = PDFDictionary(
            {
                "Type": PDFName("XObject"),
                "Subtype": PDFName("Image"),
                "Width": png.width,
                "Height": png.height,
                "BitsPerComponent": 8,
                "ColorSpace": PDFName("DeviceRGB" if colours == 3 else "DeviceGray"),
                "Filter": PDFName("FlateDecode"),
                "DecodeParms": PDFDictionary(
                    {"Predictor": 15, "Colors": colours, "Columns": png.width}
                ),
            }
        )
        return PDFStream(dictionary, png.data).format(document)
