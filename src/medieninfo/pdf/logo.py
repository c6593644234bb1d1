"""Draw stage: the letterhead's logo, carried into the PDF without decoding it where PDF allows.

An 8-bit grey or RGB PNG that is not interlaced goes into the PDF as it is, its data behind
``FlateDecode`` with PNG predictors (:mod:`medieninfo.model.png` checked it): no Pillow, no
decoding of every pixel, no second compression. img2pdf, fpdf2 and pdf-lib embed PNGs the
same way. Every other logo (JPEG, alpha, palette, 16-bit, interlaced) takes ReportLab's own
path through Pillow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFStream,
)

from ..model.png import CHANNELS, Png

#: How many logos' image objects a process keeps (a batch sees a few letterheads).
_LOGOS_KEPT = 8
_formatted: dict[int, tuple[Png, bytes]] = {}


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
        """The image object's bytes, made once per process for each checked logo.

        They depend on the PNG alone (its dictionary carries its ``Filter``, so the
        document's own stream filters are not applied) and on the document's encryption,
        which medieninfo never sets: an encrypting document gets them made afresh.
        """
        png = self.png
        if not isinstance(document.encrypt, NoEncryption):
            return self._made(document)
        known = _formatted.get(id(png))
        if known is None or known[0] is not png:
            if len(_formatted) >= _LOGOS_KEPT:
                _formatted.clear()
            # The entry keeps ``png`` alive, so its id cannot be reused while it is here.
            known = _formatted[id(png)] = (png, self._made(document))
        return known[1]

    def _made(self, document: Any) -> bytes:
        png = self.png
        colours = CHANNELS[png.colour_type]
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
