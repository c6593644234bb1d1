"""Model stage: a TrueType font file checked by its header, before any font library reads it.

The letterhead names its fonts; this module makes sure each is a single TrueType font whose
table directory fits inside the file, so a PNG renamed to ``.ttf``, a cut-off download, a
font collection or a CFF-flavoured OpenType font is a message at the letterhead's line.
Reading the glyphs is the PDF stage's business (:mod:`medieninfo.pdf.fonts`), which reports
what only a full parse can find at the same line.
"""

from __future__ import annotations

import struct
from pathlib import Path

#: Largest font file we read; Noto Sans is 0.5 MB, a CJK font 20 MB.
MAX_FONT_BYTES = 32 * 1024 * 1024

#: Tables a TrueType font needs to be drawn and subset (ReportLab reads each of them).
REQUIRED_TABLES = ("cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post")

_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
_OTHER = {
    b"OTTO": "an OpenType font with PostScript (CFF) outlines; use its TrueType (.ttf) version",
    b"ttcf": "a font collection; use a single .ttf font",
    b"wOFF": "a web font (WOFF); use the .ttf font",
    b"wOF2": "a web font (WOFF2); use the .ttf font",
}


def check_truetype(path: Path) -> str | None:
    """What is wrong with the font file at ``path``, or None if its header is sound."""
    size = path.stat().st_size
    if size > MAX_FONT_BYTES:
        return f"is larger than {MAX_FONT_BYTES // 2**20} MB"
    with path.open("rb") as file:
        head = file.read(12)
        if len(head) < 12:
            return "is not a TrueType font (too short)"
        flavour, tables = head[:4], struct.unpack(">H", head[4:6])[0]
        if flavour in _OTHER:
            return f"is {_OTHER[flavour]}"
        if flavour not in _TRUETYPE:
            return "is not a TrueType font"
        directory = file.read(16 * tables)
    if len(directory) < 16 * tables:
        return "is not a usable TrueType font (cut off inside its table directory)"
    found = set()
    for tag, _checksum, offset, length in struct.iter_unpack(">4sIII", directory):
        if offset + length > size:
            name = tag.decode("latin-1")
            return f"is not a usable TrueType font (cut off: its '{name}' table ends past the file)"
        found.add(tag.decode("latin-1"))
    missing = [table for table in REQUIRED_TABLES if table not in found]
    if missing:
        return f"is not a usable TrueType font (no '{missing[0]}' table)"
    return None
