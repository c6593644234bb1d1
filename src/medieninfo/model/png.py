"""Model stage: a PNG's header and its compressed image data, checked without decoding.

A PNG's image data is a zlib stream of rows, each behind a one-byte filter type: exactly what
PDF's ``FlateDecode`` filter with PNG predictors reads (ISO 32000-1, 7.4.4.4). So an 8-bit grey
or RGB PNG that is not interlaced can go into a PDF as it is (see :mod:`medieninfo.pdf.logo`);
this module reads and checks such a file, chunk by chunk and in slices, so a damaged or
oversized one is a message at the letterhead's line, not a failure while drawing.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from hashlib import md5

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3}  # PNG colour type -> samples per pixel, for the types PDF can carry


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
        return self.bit_depth == 8 and self.colour_type in CHANNELS and not self.interlaced


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
    row = 1 + png.width * CHANNELS[png.colour_type]
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
