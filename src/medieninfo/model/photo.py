"""Model stage: press photos, checked file by file, with what their own metadata says.

A release names photos in two ways: in the body (``![alt text](foto.jpg)``, shown there) and
in its ``photos`` list (a file name, or ``{file, caption, credit, alt, rights, decorative}``),
which gives what the file itself does not say and adds photos shown after the body.
:func:`resolve` joins the two, checks every file and fills each :class:`~.content.Figure`
from the release first and the file's IPTC/XMP metadata second:

- caption: XMP ``dc:description``, else IPTC Caption-Abstract (2:120);
- credit: XMP ``photoshop:Credit`` / IPTC Credit (2:110), else the creator (``dc:creator`` /
  By-line 2:80);
- rights: XMP ``dc:rights`` / IPTC Copyright Notice (2:116);
- alternative text: XMP ``Iptc4xmpCore:AltTextAccessibility`` (IPTC 2021.1; IIM has none).

A photo is a file in the release's folder or below it (``../``, absolute paths and symlinks
that lead elsewhere are refused, like a letterhead's logo), a JPEG or a PNG, at most
:data:`MAX_PHOTO_BYTES` and :data:`MAX_PHOTO_PIXELS`, the size read from its header before
anything is decoded. The JPEG's coded data is then read at an eighth of its size (libjpeg
scales while decoding), which finds a truncated or damaged file without decoding every pixel.
Pillow is imported here only when a release has photos.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from .fields import FieldError, boolean, describe, text
from .source import Node

if TYPE_CHECKING:
    from .content import Block, Figure
    from .release import Release

#: Largest photo file: a full-resolution press photo from a 45-megapixel camera is ~25 MB.
MAX_PHOTO_BYTES = 40 * 1024 * 1024
#: Largest photo in pixels (decompression bombs): 50 megapixels decode to 150 MB of RGB.
MAX_PHOTO_PIXELS = 50_000_000
#: Photos in one release, and their bytes together: the PDF is built in memory.
MAX_PHOTOS = 20
MAX_TOTAL_BYTES = 100 * 1024 * 1024
#: A caption is a sentence or two; a page of text under a photo would not fit beside it.
MAX_CAPTION_CHARS = 1000

_KEYS = ("file", "caption", "credit", "alt", "rights", "decorative")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")

PHOTOS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "anyOf": [
            {"type": "string", "description": "A photo file next to the release"},
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "description": "JPEG or PNG next to the release"},
                    "caption": {"type": "string", "description": "Who or what is shown"},
                    "credit": {
                        "type": "string",
                        "description": "Who took it, printed 'Foto: ...'",
                    },
                    "alt": {
                        "type": "string",
                        "description": "Alternative text for screen readers: what the photo shows",
                    },
                    "rights": {
                        "type": "string",
                        "description": "How it may be used, e.g. 'honorarfrei'",
                    },
                    "decorative": {
                        "type": "boolean",
                        "description": "Only decoration: no alternative text needed",
                    },
                },
            },
        ]
    },
}


@dataclass(frozen=True)
class PhotoEntry:
    """One entry of the release's ``photos`` list, as typed, with where it stands."""

    file: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None
    rights: str | None = None
    decorative: bool | None = None
    line: int | None = None
    column: int | None = None


def photo_entries(node: Node) -> tuple[PhotoEntry, ...]:
    """The ``photos`` field: a list of file names or mappings."""
    if not node.is_sequence:
        raise FieldError(f"expected a list of photos, found {describe(node)}")
    assert isinstance(node.children, list)
    entries = []
    for item in node.children:
        if not item.is_mapping:
            entries.append(
                PhotoEntry(text(item, single_line=True), line=item.line, column=item.column)
            )
            continue
        assert isinstance(item.children, dict)
        for key, child in item.children.items():
            if key not in _KEYS:
                raise FieldError(
                    f"unknown key '{key}' in a photo (known: {', '.join(_KEYS)})",
                    child.key_line,
                    child.key_column,
                )
        file = item.children.get("file")
        if file is None:
            raise FieldError("a photo needs 'file'", item.line, item.column)
        values: dict[str, Any] = {}
        for key in ("caption", "credit", "alt", "rights"):
            value = item.children.get(key)
            if value is not None and not value.is_null:
                values[key] = _text_at(value)
        if (decorative := item.children.get("decorative")) is not None:
            try:
                values["decorative"] = boolean(decorative)
            except FieldError as exc:
                raise FieldError(f"decorative: {exc}", decorative.line, decorative.column) from None
        entries.append(PhotoEntry(_text_at(file), line=file.line, column=file.column, **values))
    return tuple(entries)


def _text_at(node: Node) -> str:
    try:
        return text(node, single_line=True)
    except FieldError as exc:
        raise FieldError(str(exc), exc.line or node.line, exc.column or node.column) from None


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


def credit_label(lang: str) -> str:
    """The word before the credit, in the release's language."""
    primary = lang.split("-")[0].lower()
    if primary == "fr":
        return "Photo\u00a0:"  # French sets a no-break space before the colon
    if primary == "en":
        return "Photo:"
    return "Foto:"


def credit_line(figure: Figure, lang: str) -> str:
    """What is printed under the caption: ``Foto: credit · rights``."""
    parts = []
    if figure.credit:
        parts.append(f"{credit_label(lang)} {figure.credit}")
    if figure.rights:
        parts.append(figure.rights)
    return " · ".join(parts)


# --------------------------------------------------------------------------- resolving


def resolve(release: Release, blocks: list[Block]) -> list[Block]:
    """Check every photo of a release and fill in its figures; the ``photos`` entries the
    body does not name are added after the body. Raises one InputError listing every
    problem, each at the line and column of the photo's name."""
    from .content import Figure

    entries = release.photos
    if not entries and not _has_figure(blocks):
        return blocks
    source = release.source
    problems: list[Problem] = []
    by_path: dict[Path, PhotoEntry] = {}
    for entry in entries:
        path = _locate(entry.file, release.folder, problems, source, entry.line, entry.column)
        if path is not None:
            by_path.setdefault(path, entry)
    checked: dict[Path, Photo | None] = {}
    used: set[Path] = set()

    def fill(figure: Figure, entry: PhotoEntry | None, path: Path) -> Figure:
        if path not in checked:
            checked[path] = _check(path, figure, problems, source, release.lang)
        photo = checked[path]
        if photo is None:
            return figure
        decorative = bool(entry.decorative) if entry and entry.decorative is not None else False
        filled = replace(
            figure,
            alt=figure.alt or (entry.alt if entry else None) or photo.alt or "",
            caption=(entry.caption if entry else None) or figure.caption or photo.caption,
            credit=(entry.credit if entry else None) or figure.credit or photo.credit,
            rights=(entry.rights if entry else None) or figure.rights or photo.rights,
            decorative=decorative,
            photo=photo,
        )
        _complete(filled, problems, source)
        return filled

    def walk(items: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in items:
            if isinstance(block, Figure):
                path = _locate(
                    block.src, release.folder, problems, source, block.line, block.column
                )
                if path is not None:
                    used.add(path)
                    block = fill(block, by_path.get(path), path)
            out.append(block)
        return out

    result = walk(list(blocks))
    for path, entry in by_path.items():
        if path not in used:
            figure = Figure(entry.file, line=entry.line, column=entry.column)
            result.append(fill(figure, entry, path))
    figures = [block for block in result if isinstance(block, Figure)]
    if len(figures) > MAX_PHOTOS:
        extra = figures[MAX_PHOTOS]
        problems.append(
            Problem(
                source,
                f"more than {MAX_PHOTOS} photos; a press release links to a gallery instead",
                extra.line,
                extra.column,
            )
        )
    total = sum(len(photo.data) for photo in checked.values() if photo is not None)
    if total > MAX_TOTAL_BYTES:
        problems.append(
            Problem(
                source,
                f"photos: together larger than {MAX_TOTAL_BYTES // 2**20} MB; use smaller files",
                release.lines.get("photos"),
            )
        )
    if problems:
        raise InputError(problems)
    return result


def _has_figure(blocks: list[Block]) -> bool:
    from .content import Figure

    return any(isinstance(block, Figure) for block in blocks)


def photo_files(release: Release) -> tuple[Path, ...]:
    """The photo files a release names (for up-to-date checks and ``watch``), without
    checking them; a name that leads outside the folder is left out."""
    names = [entry.file for entry in release.photos]
    if "![" in release.body:
        from .content import Figure, parse_body

        try:
            blocks = parse_body(release.body)
        except InputError:
            blocks = []
        names += [block.src for block in blocks if isinstance(block, Figure)]
    found: list[Path] = []
    for name in names:
        path = _locate(name, release.folder, [], release.source, None, None)
        if path is not None and path not in found:
            found.append(path)
    return tuple(found)


def _locate(
    name: str,
    folder: Path,
    problems: list[Problem],
    source: str,
    line: int | None,
    column: int | None,
) -> Path | None:
    """The photo's path inside the release's folder, or None and a problem."""

    def refuse(message: str) -> None:
        problems.append(Problem(source, message, line, column))

    if not name.strip():
        refuse("a photo needs a file name: ![what it shows](foto.jpg)")
        return None
    if _URL.match(name) and not re.match(r"^[A-Za-z]:[\\/]", name):
        refuse(
            f"photo '{name}' is an address, not a file; medieninfo fetches nothing from the "
            "network: save the photo next to the release"
        )
        return None
    try:
        path = (folder / name).resolve()
        inside = path.is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError) as exc:
        refuse(f"photo '{name}' cannot be found ({exc})")
        return None
    if not inside:
        refuse(f"photo '{name}' is outside the release's folder; put the photo next to the release")
        return None
    if not path.exists():
        refuse(f"photo '{name}' not found next to the release")
        return None
    if not path.is_file():
        refuse(f"photo '{name}' is not a regular file")
        return None
    return path


def _check(
    path: Path, figure: Figure, problems: list[Problem], source: str, lang: str
) -> Photo | None:
    try:
        return read_photo(path, lang=lang)
    except ValueError as exc:
        problems.append(Problem(source, f"photo '{figure.src}': {exc}", figure.line, figure.column))
        return None


def _complete(figure: Figure, problems: list[Problem], source: str) -> None:
    """What a figure must have once release and file have had their say."""

    def refuse(message: str) -> None:
        problems.append(
            Problem(source, f"photo '{figure.src}': {message}", figure.line, figure.column)
        )

    if not figure.alt and not figure.decorative:
        refuse(
            "no alternative text (PDF/UA needs one for every photo): write what it shows, as "
            "![text](file) or alt: in photos; decorative: true if it shows nothing a reader "
            "needs"
        )
    if not figure.credit:
        refuse(
            "no credit: say who took it with credit: in photos (printed 'Foto: ...'), or write "
            "it into the file's IPTC Credit or Creator"
        )
    if figure.caption and len(figure.caption) > MAX_CAPTION_CHARS:
        refuse(f"the caption has {len(figure.caption)} characters; at most {MAX_CAPTION_CHARS}")


# --------------------------------------------------------------------------- the file


def read_photo(path: Path, *, lang: str = "de-DE") -> Photo:
    """Read and check one photo file; ValueError says what is wrong with it."""
    size = path.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise ValueError(f"the file is larger than {MAX_PHOTO_BYTES // 2**20} MB")
    data = path.read_bytes()
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
        if width * height > MAX_PHOTO_PIXELS:
            raise ValueError(
                f"{width}x{height} pixels are too many; the limit is {MAX_PHOTO_PIXELS:,}"
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
