"""Model stage: one photo file, checked, and what its own IPTC/XMP metadata says.

:func:`read_photo` reads a JPEG or PNG with Pillow (imported here, so only releases with
photos pay for it): the size from the header first (at most :data:`MAX_PHOTO_BYTES` and
:data:`MAX_PHOTO_PIXELS`), then a JPEG's coded data at an eighth of its size (libjpeg scales
while decoding), which finds a truncated or damaged file without decoding every pixel, or a
PNG's pixels. From the metadata it takes:

- caption: XMP ``dc:description``, else IPTC Caption-Abstract (2:120);
- credit: XMP ``photoshop:Credit`` / IPTC Credit (2:110), else the creator (``dc:creator`` /
  By-line 2:80);
- rights: XMP ``dc:rights`` / IPTC Copyright Notice (2:116);
- alternative text: XMP ``Iptc4xmpCore:AltTextAccessibility`` (IPTC 2021.1; IIM has none).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Largest photo file: a full-resolution press photo from a 45-megapixel camera is ~25 MB.
MAX_PHOTO_BYTES = 40 * 1024 * 1024
#: Largest photo in pixels (decompression bombs): 50 megapixels decode to 150 MB of RGB.
MAX_PHOTO_PIXELS = 50_000_000
#: Largest PNG: a PNG is decoded and compressed again (zlib) unless it passes through, and a
#: 24-megapixel RGBA PNG of noise took 10.7 s and 465 MB; photos come as JPEG, PNGs are
#: graphics, and the logo's limit suits them.
MAX_PNG_PIXELS = 16_000_000


@dataclass(frozen=True)
class Photo:
    """A photo file, checked: its pixels' header, its metadata and its bytes as read."""

    path: Path
    format: str  # "JPEG" or "PNG"
    width: int
    height: int
    #: Pillow's mode: L, RGB or CMYK for a JPEG; any of Pillow's for a PNG.
    mode: str
    #: EXIF orientation, 1-8: how the stored pixels must be turned to stand upright.
    orientation: int = 1
    icc_profile: bytes | None = field(default=None, repr=False)
    #: A CMYK JPEG with Adobe's APP14 marker stores its values inverted (Photoshop's habit).
    adobe: bool = False
    caption: str | None = None
    credit: str | None = None
    rights: str | None = None
    alt: str | None = None
    data: bytes = field(default=b"", repr=False, compare=False)

    @property
    def upright_size(self) -> tuple[int, int]:
        """Width and height in pixels as the photo is seen (orientations 5-8 turn it)."""
        return (self.height, self.width) if self.orientation >= 5 else (self.width, self.height)


def read_photo(path: Path, *, lang: str = "de-DE") -> Photo:
    """Read and check one photo file; ValueError says what is wrong with it."""
    too_large = f"the file is larger than {MAX_PHOTO_BYTES // 2**20} MB"
    if path.stat().st_size > MAX_PHOTO_BYTES:
        raise ValueError(too_large)
    with path.open("rb") as handle:
        # At most one byte more than allowed, even if the file grew since its size was read.
        data = handle.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValueError(too_large)
    if data[4:12] in _HEIF_BRANDS:
        raise ValueError("the file is a HEIC/HEIF photo (as iPhones take them); export it as JPEG")
    import io

    from PIL import Image

    try:
        with warnings.catch_warnings():
            # Pillow warns about large images and raises above twice its own limit; ours
            # is lower and checked below, from the header alone.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=None)
    except Image.DecompressionBombError:
        raise ValueError(f"too many pixels; the limit is {MAX_PHOTO_PIXELS:,}") from None
    except Exception as exc:  # Pillow raises many types for files it cannot read
        raise ValueError(f"not a readable image ({_reason(exc)}); use a JPEG or PNG") from None
    with image:
        if image.format not in ("JPEG", "PNG"):
            raise ValueError(f"the file is {image.format}; use a JPEG or PNG photo")
        width, height = image.size
        limit = MAX_PNG_PIXELS if image.format == "PNG" else MAX_PHOTO_PIXELS
        if width * height > limit:
            raise ValueError(
                f"{width}x{height} pixels are too many; the limit is {limit:,}"
                + (" for a PNG (save a photo as JPEG)" if image.format == "PNG" else "")
            )
        if image.format == "JPEG" and image.mode not in ("L", "RGB", "CMYK"):
            raise ValueError(f"a JPEG in {image.mode} colours; save it as RGB")
        info = dict(image.info)
        orientation = _orientation(image)
        iptc = _iptc(image) if image.format == "JPEG" else {}
        xmp = _xmp(info.get("xmp") or info.get("XML:com.adobe.xmp"), lang)
        mode = image.mode
        try:
            if image.format == "JPEG":
                # Decode at an eighth of the size: every coded byte is still read, so a
                # truncated or damaged file is found, at a fraction of the work.
                image.draft(mode, (max(1, width // 8), max(1, height // 8)))
            image.load()
        except Exception as exc:
            raise ValueError(f"the image data is damaged ({_reason(exc)})") from None
    icc = info.get("icc_profile") or None
    return Photo(
        path=path,
        format=str(image.format),
        width=width,
        height=height,
        mode=mode,
        orientation=orientation,
        icc_profile=icc if isinstance(icc, bytes) else None,
        adobe=mode == "CMYK" and "adobe" in info,
        caption=xmp.get("caption") or iptc.get("caption"),
        credit=xmp.get("credit") or iptc.get("credit") or xmp.get("creator") or iptc.get("creator"),
        rights=xmp.get("rights") or iptc.get("rights"),
        alt=xmp.get("alt"),
        data=data,
    )


#: The ISO base media file box of HEIC/HEIF photos, which Pillow cannot read.
_HEIF_BRANDS = frozenset(
    b"ftyp" + brand for brand in (b"heic", b"heix", b"hevc", b"heim", b"mif1", b"msf1", b"avif")
)


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _orientation(image: Any) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block says nothing about the pixels
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


#: IPTC IIM datasets (record 2) medieninfo reads.
_IIM = {(2, 120): "caption", (2, 110): "credit", (2, 80): "creator", (2, 116): "rights"}


def _iptc(image: Any) -> dict[str, str]:
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except Exception:  # a damaged IPTC block: the release must then say it
        return {}
    utf8 = info.get((1, 90)) == b"\x1b%G"
    found: dict[str, str] = {}
    for key, name in _IIM.items():
        value = info.get(key)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        decoded = [_decode_iim(item, utf8) for item in values]
        joined = ", ".join(item for item in decoded if item)
        if joined:
            found[name] = joined
    return found


def _decode_iim(value: bytes, utf8: bool) -> str:
    try:
        result = value.decode("utf-8")
    except UnicodeDecodeError:
        # IIM without a UTF-8 declaration is mostly Latin-1 (or Windows-1252).
        result = value.decode("cp1252", errors="replace") if not utf8 else ""
    return _clean(result)


def _clean(value: str) -> str:
    """One line of printable text: control characters dropped, white space folded."""
    printable = "".join(char if char.isprintable() or char.isspace() else " " for char in value)
    return " ".join(printable.split())


_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
}
_XMP_FIELDS = {
    "caption": ("dc", "description"),
    "credit": ("photoshop", "Credit"),
    "creator": ("dc", "creator"),
    "rights": ("dc", "rights"),
    "alt": ("Iptc4xmpCore", "AltTextAccessibility"),
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _xmp(packet: Any, lang: str) -> dict[str, str]:
    """The fields medieninfo reads from an XMP packet; a damaged packet says nothing.

    XMP never needs a document type: a packet with one (entities, external references) is
    ignored rather than expanded.
    """
    if isinstance(packet, str):
        packet = packet.encode("utf-8", "replace")
    if (
        not isinstance(packet, bytes)
        or not packet
        or b"<!DOCTYPE" in packet
        or b"<!ENTITY" in packet
    ):
        return {}
    import xml.etree.ElementTree as ET

    start = packet.find(b"<x:xmpmeta")
    if start < 0:
        start = packet.find(b"<rdf:RDF")
    try:
        root = ET.fromstring(packet[start:] if start >= 0 else packet.strip(b"\0 \n"))
    except ET.ParseError:
        # The packet's trailer (<?xpacket end?> and padding) may follow the element.
        end = packet.rfind(b"</x:xmpmeta>")
        try:
            root = ET.fromstring(packet[max(start, 0) : end + len(b"</x:xmpmeta>")])
        except ET.ParseError:
            return {}
    found: dict[str, str] = {}
    for name, (prefix, local) in _XMP_FIELDS.items():
        tag = f"{{{_NS[prefix]}}}{local}"
        for description in root.iter(f"{{{_NS['rdf']}}}Description"):
            value = description.get(tag)
            element = description.find(tag)
            if value is None and element is not None:
                value = _xmp_value(element, lang)
            if value and (cleaned := _clean(value)):
                found[name] = cleaned
                break
    return found


def _xmp_value(element: Any, lang: str) -> str | None:
    """A simple value, a language alternative (the release's language, else x-default,
    else the first) or a list (joined with commas, as for several creators)."""
    items = element.findall(f".//{{{_NS['rdf']}}}li")
    if not items:
        return element.text
    alternative = element.find(f"{{{_NS['rdf']}}}Alt")
    if alternative is not None:
        primary = lang.split("-")[0].lower()
        by_lang = {str(item.get(_XML_LANG, "")).lower(): item.text for item in items}
        for key in (lang.lower(), primary, "x-default"):
            if by_lang.get(key):
                return by_lang[key]
        for key, value in by_lang.items():
            if key.split("-")[0] == primary and value:
                return value
        return items[0].text
    return ", ".join(item.text for item in items if item.text)
