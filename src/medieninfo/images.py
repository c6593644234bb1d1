"""Draw stage: the letterhead's logo, carried into the PDF without decoding it where PDF allows.

A PNG's image data is a zlib stream of rows, each behind a one-byte filter type: exactly what
PDF's ``FlateDecode`` filter with PNG predictors reads (ISO 32000-1, 7.4.4.4). So an 8-bit grey
or RGB PNG that is not interlaced goes into the PDF as it is: no Pillow, no decoding of every
pixel, no second compression (~5 ms of a cold render). img2pdf, fpdf2 and pdf-lib embed PNGs
the same way. Every other logo (JPEG, alpha, palette, 16-bit, interlaced) takes ReportLab's
own path through Pillow.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from functools import cached_property
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
    data: bytes = field(repr=False)

    @cached_property
    def name(self) -> str:
        """The image's name in the PDF, from its content: same logo, same name, same bytes."""
        return f"png{md5(self.data, usedforsecurity=False).hexdigest()}"

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
        if (kind == b"IHDR") != (header is None):
            raise ValueError("the PNG's image header is not its first chunk, or not its only one")
        if kind == b"IHDR":
            if length != 13:
                raise ValueError("the PNG's image header has the wrong length")
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    assert header is not None  # the first chunk was checked to be the header
    width, height, bit_depth, colour_type, compression, filtering, interlace = header
    if not chunks:
        raise ValueError("the PNG has no image data")
    if not width or not height:
        raise ValueError("the PNG has no pixels")
    if compression or filtering or interlace > 1:
        raise ValueError("the PNG uses a compression, filter or interlace method PNG lacks")
    return Png(width, height, colour_type, bit_depth, bool(interlace), b"".join(chunks))


def check_data(png: Png) -> None:
    """Raise ValueError unless a pass-through PNG's data inflates to exactly its rows, each
    behind a known filter type. Inflates in slices, so memory stays small at any size."""
    row = 1 + png.width * _CHANNELS[png.colour_type]
    expected = row * png.height
    inflater = zlib.decompressobj()
    pending, seen = png.data, 0
    try:
        while not inflater.eof:
            rows = inflater.decompress(pending, _SLICE)
            pending = inflater.unconsumed_tail
            if not rows and not pending:
                break  # the data ends before the stream does
            if seen + len(rows) > expected:
                break
            filters = rows[(-seen) % row :: row]
            if filters and max(filters) > 4:
                raise ValueError("the PNG's image data has an unknown row filter")
            seen += len(rows)
    except zlib.error as exc:
        raise ValueError(f"the PNG's image data is damaged ({exc})") from None
    if seen != expected or not inflater.eof:
        raise ValueError("the PNG's image data does not match its size")


_SLICE = 1 << 20


def draw_logo(
    canvas: Any, path: Path, png: Png | None, x: float, y: float, width: float, height: float
) -> None:
    """Draw the logo into the box, once per document however many pages.

    ``png`` is the logo as the letterhead check read it, when it passes through (else
    None); it is drawn as checked, even if the file has changed since. Any other logo is
    drawn from ``path`` by ReportLab.
    """
    if png is None:
        # By file name: ReportLab then decodes the logo once per document, not once per page.
        canvas.drawImage(str(path), x, y, width, height)
        return
    name = png.name
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
