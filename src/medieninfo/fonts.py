"""Layout stage: register a letterhead's TrueType family with ReportLab, once per process.

ReportLab parses a TTF lazily and cheaply, but a batch or ``watch`` renders many releases in
one process, so each file is registered once and its names reused.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .letterhead import Fonts


@dataclass(frozen=True)
class FontNames:
    """The ReportLab names of one family's four faces."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    family: str


_registered: dict[Path, str] = {}


def register_face(path: Path) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if path in _registered:
        return _registered[path]
    # The file's stem names the font inside the PDF; a second file with the same stem
    # gets a suffix so that two letterheads never share a name for different fonts.
    name, counter = path.stem, 1
    while name in pdfmetrics.getRegisteredFontNames():
        counter += 1
        name = f"{path.stem}-{counter}"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    _registered[path] = name
    return name


@cache
def register_family(fonts: Fonts) -> FontNames:
    from reportlab.lib.fonts import addMapping

    regular, bold, italic, bold_italic = (
        register_face(path) for path in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic)
    )
    # <b>/<i> in paragraph markup find the faces through this mapping, named after regular.
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold_italic)
    return FontNames(regular, bold, italic, bold_italic, family=regular)
