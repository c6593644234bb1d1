"""Layout and draw stage: a press photo with its caption and credit, as one unbreakable block.

**Pixels.** A JPEG goes into the PDF as it is (``DCTDecode``: the stream is the file's bytes),
turned upright by the matrix it is drawn with rather than by decoding and rotating it: the
EXIF orientation (1-8) selects one of the eight axis-aligned matrices. Its colours stay what
the file says: a JPEG with its own ICC profile gets an ``ICCBased`` colour space carrying
that profile; one without stands in the PDF's sRGB output intent (``DeviceRGB``/``Gray``).
A CMYK JPEG with a CMYK profile passes through the same way, with ``/Decode`` inverting
Adobe's inverted values; a CMYK JPEG without a profile has no meaning PDF/A can state, so it
is converted to sRGB (Pillow) and re-encoded at quality 92. A PNG is drawn through Pillow and
ReportLab: 16-bit samples are reduced to 8, palettes expanded, and transparency becomes a
soft mask (``SMask``, allowed in PDF/A-2); a PNG with its own ICC profile is converted to
sRGB with it. An 8-bit grey or RGB PNG without a profile passes through like the logo.

**Size.** The photo spans the text column, unless it has fewer pixels than that needs at
:data:`MIN_DPI` (then it is set at that resolution, narrower, never enlarged), and is never
taller than :data:`MAX_HEIGHT_SHARE` of the column. Nothing is downsampled unless the
letterhead sets ``photo_dpi``: then a photo with more pixels than that resolution needs at
its printed size is scaled down (Lanczos) and re-encoded, and no longer passes through.

**Layout.** Photo, caption and credit are one flowable that never splits. When it does not
fit in what is left of a page, :func:`float_figures` lets the following text fill the page
and sets the photo at the top of the next one, as a typesetter floats a figure; the
structure tree keeps it where the release has it.

**Structure (PDF/UA-1).** The photo is a ``Figure`` with the alternative text as ``/Alt``
and its bounding box (``/A <</O /Layout /BBox …>>``); caption and credit follow as a sibling
``Caption``. A decorative photo is an artifact, its caption and credit a ``P``.
"""

from __future__ import annotations

import io
from hashlib import md5
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream
from reportlab.platypus import Flowable

from ..model.content import Figure
from ..model.photofile import Photo
from .tagging import END, Node

#: Lowest resolution a photo is set at: below it, a press photo looks soft in print. A
#: photo with fewer pixels than the column needs at this resolution is set narrower.
MIN_DPI = 150
#: A photo is at most this share of the column's height, so that a portrait photo leaves
#: room for its caption and some text on its page.
MAX_HEIGHT_SHARE = 0.6
#: Space between photo and caption, and around the whole block, in points.
CAPTION_GAP = 4
SPACE_BEFORE = 4
SPACE_AFTER = 10
#: Quality of the one re-encoding there is (a CMYK JPEG without a profile, to sRGB).
REENCODE_QUALITY = 92
#: How many flowables a figure may float past before it is set anyway: a typesetter keeps
#: a photo near the text that names it.
MAX_FLOAT = 6


def caption_styles(body: ParagraphStyle) -> tuple[ParagraphStyle, ParagraphStyle]:
    """Caption (set in italic, a size below the body) and credit (smaller) styles, in the
    letterhead's font family."""
    caption = ParagraphStyle(
        "caption", parent=body, fontSize=9, leading=12.5, spaceBefore=0, spaceAfter=0
    )
    credit = ParagraphStyle("credit", parent=caption, fontSize=7.5, leading=10.5)
    return caption, credit


class FigureFlowable(Flowable):
    """One photo with its caption and credit; never split."""

    def __init__(
        self,
        figure: Figure,
        *,
        caption: Any,
        credit: Any,
        column_height: float,
        node: Node | None,
        max_dpi: float | None = None,
    ) -> None:
        """``node`` is the photo's ``Figure`` element; None draws it as an artifact."""
        super().__init__()
        assert figure.photo is not None
        self.figure = figure
        self.photo = figure.photo
        self.caption = caption
        self.credit = credit
        self.column_height = column_height
        self.tag_node = node
        self.max_dpi = max_dpi
        self.floated = False
        self.image_width = self.image_height = 0.0
        self.spaceBefore = SPACE_BEFORE
        self.spaceAfter = SPACE_AFTER

    def _texts(self) -> list[Any]:
        return [text for text in (self.caption, self.credit) if text is not None]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        pixels_wide, pixels_high = self.photo.upright_size
        width = min(availWidth, pixels_wide * 72 / MIN_DPI)
        height = width * pixels_high / pixels_wide
        limit = self.column_height * MAX_HEIGHT_SHARE
        if height > limit:
            width, height = width * limit / height, limit
        texts = sum(text.wrap(availWidth, self.column_height)[1] for text in self._texts())
        below = CAPTION_GAP + texts if self._texts() else 0.0
        if height + below > self.column_height:
            # A long caption: the photo gives way, so the block still fits on a page.
            shrunk = max(self.column_height - below, 1.0)
            width, height = width * shrunk / height, shrunk
        self.image_width, self.image_height = width, height
        self.width, self.height = availWidth, height + below
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        return []  # photo, caption and credit stay together

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self._page_origin = (x, y)
        super().drawOn(canvas, x, y, _sW)

    def draw(self) -> None:
        canvas = self.canv
        tagging = getattr(canvas, "tagging", None)
        top = self.height
        image_y = top - self.image_height
        if tagging is not None:
            figure = self.tag_node
            if figure is not None:
                x0, y0 = self._page_origin
                figure.bbox = (
                    round(x0, 2),
                    round(y0 + image_y, 2),
                    round(x0 + self.image_width, 2),
                    round(y0 + top, 2),
                )
                canvas.addLiteral(canvas.mark(figure))
            else:
                canvas.addLiteral("/Artifact BMC")
        photo = self.photo
        if self.max_dpi is not None:
            photo = downsampled(photo, self.image_width, self.max_dpi)
        draw_photo(canvas, photo, 0, image_y, self.image_width, self.image_height)
        if tagging is not None:
            canvas.addLiteral(END)
        y = image_y - CAPTION_GAP
        for text in self._texts():
            _, height = text.wrap(self.width, self.column_height)
            y -= height
            text.drawOn(canvas, 0, y)


def float_figures(document: Any, flowables: list[Any]) -> None:
    """Before each flowable is placed: float a photo that does not fit on this page past
    the text that follows, and set a floated photo first when a new page begins."""
    frame = getattr(document, "frame", None)
    if frame is None:
        return  # before the first page begins
    if frame._atTop:
        for index in range(1, min(len(flowables), MAX_FLOAT + 2)):
            candidate = flowables[index]
            if isinstance(candidate, FigureFlowable) and candidate.floated:
                # The text it floated past was postponed once; it may be again.
                for before in flowables[:index]:
                    if hasattr(before, "_postponed"):
                        del before._postponed
                flowables.insert(0, flowables.pop(index))
                return
        return
    first = flowables[0]
    if not isinstance(first, FigureFlowable) or len(flowables) < 2:
        return
    _, height = first.wrap(frame._aW, frame._y - frame._y1)
    if height + first.getSpaceBefore() <= frame._y - frame._y1:
        return
    moves = getattr(first, "moves", 0)
    following = flowables[1]
    if moves >= MAX_FLOAT or isinstance(following, FigureFlowable):
        return
    first.floated = True
    first.moves = moves + 1
    flowables[0], flowables[1] = following, first


# --------------------------------------------------------------------------- pixels


def _matrix(orientation: int, x: float, y: float, w: float, h: float) -> tuple[float, ...]:
    """The matrix that maps the image's unit square onto the box (x, y, w, h) upright.

    Image space has the stored first row at the top (v = 1); EXIF orientation says where
    that row and the first column belong when the photo is seen upright.
    """
    return {
        1: (w, 0, 0, h, x, y),
        2: (-w, 0, 0, h, x + w, y),
        3: (-w, 0, 0, -h, x + w, y + h),
        4: (w, 0, 0, -h, x, y + h),
        5: (0, -h, -w, 0, x + w, y + h),
        6: (0, -h, w, 0, x, y + h),
        7: (0, h, w, 0, x, y),
        8: (0, h, -w, 0, x + w, y),
    }[orientation]


def draw_photo(canvas: Any, photo: Photo, x: float, y: float, w: float, h: float) -> None:
    """Draw the photo upright into the box; each file once per document."""
    matrix = _matrix(photo.orientation, x, y, w, h)
    if photo.format == "JPEG":
        name = _jpeg_xobject(canvas, photo)
        canvas._currentPageHasImages = 1
        canvas.saveState()
        canvas.transform(*matrix)
        canvas._code.append(f"/{canvas._doc.getXObjectName(name)} Do")
        canvas.restoreState()
        canvas._formsinuse.append(name)
        return
    png = _plain_png(photo)
    if png is not None:
        # An 8-bit grey or RGB PNG without a profile goes in as it is, like the logo.
        from .logo import draw_logo

        a, b, c, d, e, f = matrix
        canvas.saveState()
        canvas.transform(a, b, c, d, e, f)
        draw_logo(canvas, photo.path, png, 0, 0, 1, 1)
        canvas.restoreState()
        return
    canvas.saveState()
    canvas.transform(*matrix)
    canvas.drawImage(_reader(photo), 0, 0, 1, 1, mask="auto")
    canvas.restoreState()


def _plain_png(photo: Photo) -> Any:
    """The PNG's data for a pass-through (see :mod:`medieninfo.model.png`), or None."""
    if photo.format != "PNG" or photo.icc_profile or photo.mode not in ("L", "RGB"):
        return None
    if b"tRNS" in photo.data:
        return None  # a transparent colour: Pillow and ReportLab make its mask
    from ..model.png import read_png

    try:
        png = read_png(photo.data)
    except ValueError:
        return None
    if png is None or not png.passes_through:
        return None
    return png


#: Quality of a downsampled JPEG: what image editors use for the web by default.
DOWNSAMPLE_QUALITY = 85


def downsampled(photo: Photo, width: float, dpi: float) -> Photo:
    """The photo with no more pixels than ``dpi`` needs at ``width`` points, re-encoded
    (JPEG at :data:`DOWNSAMPLE_QUALITY`, a PNG as PNG); as it is when it has no more."""
    from dataclasses import replace

    from PIL import Image

    upright_width, _ = photo.upright_size
    wanted = max(1, round(width / 72 * dpi))
    if upright_width <= wanted:
        return photo
    factor = wanted / upright_width
    size = (max(1, round(photo.width * factor)), max(1, round(photo.height * factor)))
    with Image.open(io.BytesIO(photo.data)) as image:
        if photo.format == "JPEG":
            image.draft(image.mode, size)  # libjpeg decodes at the nearest smaller scale
        image.load()
        small = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if photo.icc_profile:
        options["icc_profile"] = photo.icc_profile
    if photo.format == "JPEG":
        small.save(out, "JPEG", quality=DOWNSAMPLE_QUALITY, **options)
    else:
        small.save(out, "PNG", **options)
    return replace(
        photo, data=out.getvalue(), width=size[0], height=size[1], adobe=photo.mode == "CMYK"
    )


def _jpeg_xobject(canvas: Any, photo: Photo) -> str:
    document = canvas._doc
    name = f"jpg{md5(photo.data, usedforsecurity=False).hexdigest()}"
    reference = document.getXObjectName(name)
    if reference not in document.idToObject:
        image = _JpegImage(name, photo, document)
        document.Reference(image, reference)
        document.addForm(name, image)
    return name


def _reader(photo: Photo) -> Any:
    """A PNG as ReportLab can embed it: 8-bit RGB, grey or RGBA, in sRGB."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    # Not copied out of a with-block: a large PNG's pixels are held once, not twice.
    image: Image.Image = Image.open(io.BytesIO(photo.data))
    image.load()
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grey: keep the upper byte of each sample.
        image = image.point(lambda value: value / 256).convert("L")
    elif image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("LA", "PA", "La", "RGBa"):
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGB")
    if photo.icc_profile and image.mode in ("RGB", "RGBA"):
        image = _to_srgb(image, photo.icc_profile)
    return ImageReader(image)


def _to_srgb(image: Any, profile: bytes) -> Any:
    """Convert from the photo's own profile to sRGB; left as it is if lcms cannot."""
    from PIL import ImageCms

    from .pdfa import srgb_profile

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        target = ImageCms.ImageCmsProfile(io.BytesIO(srgb_profile()))
        return ImageCms.profileToProfile(image, source, target, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


_ICC_SPACES = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}
_DEVICE = {"L": "DeviceGray", "RGB": "DeviceRGB"}


def icc_components(profile: bytes | None) -> int | None:
    """The number of colour components of a usable ICC profile (ICC v2 or v4, its size
    as its header says), or None."""
    if not profile or len(profile) < 128:
        return None
    if int.from_bytes(profile[:4], "big") != len(profile) or profile[36:40] != b"acsp":
        return None
    if profile[8] not in (2, 4):
        return None
    # Input, display, output or colour-space profiles: what an ICCBased space may carry.
    if bytes(profile[12:16]) not in (b"scnr", b"mntr", b"prtr", b"spac"):
        return None
    return _ICC_SPACES.get(bytes(profile[16:20]))


class _JpegImage(PDFObject):
    """A JPEG as an image XObject: its own bytes behind DCTDecode, or (CMYK without a
    profile) converted to sRGB once."""

    def __init__(self, name: str, photo: Photo, document: Any) -> None:
        self.name = name
        self.photo = photo
        components = {"L": 1, "RGB": 3, "CMYK": 4}[photo.mode]
        self.data = photo.data
        self.decode: list[int] | None = None
        if icc_components(photo.icc_profile) == components:
            assert photo.icc_profile is not None
            self.colour_space: Any = PDFArray(
                [PDFName("ICCBased"), _icc_stream(document, photo.icc_profile, components)]
            )
            if photo.adobe:
                self.decode = [1, 0] * 4
        elif photo.mode in _DEVICE:
            self.colour_space = PDFName(_DEVICE[photo.mode])
        else:
            self.data = _cmyk_to_srgb_jpeg(photo)
            self.colour_space = PDFName("DeviceRGB")

    def format(self, document: Any) -> bytes:
        photo = self.photo
        entries: dict[str, Any] = {
            "Type": PDFName("XObject"),
            "Subtype": PDFName("Image"),
            "Width": photo.width,
            "Height": photo.height,
            "BitsPerComponent": 8,
            "ColorSpace": self.colour_space,
            "Filter": PDFName("DCTDecode"),
        }
        if self.decode:
            entries["Decode"] = PDFArray(self.decode)
        return bytes(PDFStream(PDFDictionary(entries), self.data).format(document))


def _icc_stream(document: Any, profile: bytes, components: int) -> Any:
    name = f"ICC{md5(profile, usedforsecurity=False).hexdigest()}"
    if name not in document.idToObject:
        document.Reference(PDFStream(PDFDictionary({"N": components}), profile), name)
    from reportlab.pdfbase.pdfdoc import PDFObjectReference

    return PDFObjectReference(name)


def _cmyk_to_srgb_jpeg(photo: Photo) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(photo.data)) as image:
        rgb = image.convert("RGB")
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=REENCODE_QUALITY)
    return out.getvalue()
