"""Model stage: the letterhead, an organisation's page design, loaded from a data file.

A letterhead names the organisation, the document title, the sidebar lines, the logo, the
fonts, the colours and the page geometry. Dortmund's is built in; any office brings its own
YAML or TOML file. Every file a letterhead names must lie in the letterhead's own folder
(or below it), so a letterhead cannot make medieninfo read files elsewhere.
"""

from __future__ import annotations

import os
import re
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..assets import DEFAULT_FONTS, assets_dir, builtin_letterheads
from ..errors import InputError
from . import fields
from .content import SAFE_SCHEMES
from .fontfile import check_truetype
from .labels import PLACEHOLDERS, placeholder_problem
from .png import Png, check_data, read_png
from .source import SUFFIXES, Node, read_document

DEFAULT_LETTERHEAD = "dortmund"
DEFAULT_TITLE = "MEDIENINFORMATION"
DEFAULT_LOGO_WIDTH_MM = 30.0
DEFAULT_COLOURS = {"accent": "#b01c2e", "text": "#1a1a1a"}
#: Largest logo file we read, and its largest size in pixels (decompression bombs).
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_PIXELS = 16_000_000


# A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods from
# source at every import (~0.3 ms of a cold render each); its fields read the same.
class SidebarLine(NamedTuple):
    text: str
    link: str | None = None
    bold: bool = False


class Mail(NamedTuple):
    """Sender of the e-mail draft (``mail:`` in the letterhead): plain addresses only."""

    sender: str
    #: The name shown with the sender; default: the organisation.
    name: str
    reply_to: str | None = None


class Geometry(NamedTuple):
    """Page geometry in millimetres (A4 portrait)."""

    margin_left: float = 25.0
    margin_top: float = 45.0
    margin_bottom: float = 25.0
    text_width: float = 118.0
    sidebar_left: float = 152.0
    sidebar_width: float = 48.0


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    #: The letterhead file as messages name it, and where each face's key stands in it, so
    #: that a font only the PDF stage finds broken is still reported at its line.
    origin: str = field(default="", compare=False)
    where: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Letterhead:
    name: str
    source: Path
    organisation: str
    title: str
    sidebar: tuple[SidebarLine, ...]
    fonts: Fonts
    logo: Path | None = None
    logo_alt: str = ""
    logo_width: float = DEFAULT_LOGO_WIDTH_MM
    #: The logo's size in pixels, read once while checking it (for its aspect ratio).
    logo_pixels: tuple[int, int] = (1, 1)
    #: The logo as checked, when it goes into the PDF undecoded (see :mod:`medieninfo.pdf.logo`).
    logo_png: Png | None = field(default=None, repr=False, compare=False)
    accent: str = DEFAULT_COLOURS["accent"]
    text_colour: str = DEFAULT_COLOURS["text"]
    geometry: Geometry = field(default_factory=Geometry)
    hyphenation_exceptions: tuple[str, ...] = ()
    #: Downsample photos to this resolution at their printed size (None: never, they pass
    #: through as they are; see :mod:`medieninfo.pdf.figure`).
    photo_dpi: float | None = None
    #: Sender of the e-mail draft (``medieninfo render --to eml``); None: the client's own.
    mail: Mail | None = None
    #: The number ``medieninfo new`` gives the first release of a year (an office that
    #: counts on from another system starts there).
    first_number: int = 1
    #: Printed labels by language ("en", "en-gb"): {label: template}, see model/labels.py.
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: "ragged" (default) or "justify": how body text is set (pdf/breaking.py).
    text_align: str = "ragged"

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file this letterhead depends on (for incremental rebuilds)."""
        own = (
            self.source,
            self.fonts.regular,
            self.fonts.bold,
            self.fonts.italic,
            self.fonts.bold_italic,
        )
        return own + ((self.logo,) if self.logo else ())


_KEYS = (
    "organisation",
    "title",
    "sidebar",
    "logo",
    "logo_alt",
    "logo_width_mm",
    "fonts",
    "colors",
    "page",
    "hyphenation_exceptions",
    "photo_dpi",
    "mail",
    "first_number",
    "labels",
    "text_align",
)
_MAIL_KEYS = ("from", "name", "reply_to")
_FONT_KEYS = tuple(DEFAULT_FONTS)
_COLOUR_KEYS = ("accent", "text")
_PAGE_KEYS = (
    "margin_left_mm",
    "margin_top_mm",
    "margin_bottom_mm",
    "text_width_mm",
    "sidebar_left_mm",
    "sidebar_width_mm",
)


def resolve_letterhead(spec: str | None, *, base: Path) -> Path:
    """Find a letterhead: a built-in name, or a path relative to ``base``."""
    spec = spec or DEFAULT_LETTERHEAD
    builtins = builtin_letterheads()
    if spec in builtins:
        return builtins[spec]
    path = Path(spec).expanduser()
    if not path.is_absolute():
        path = base / path
    try:
        exists = path.exists()
    except OSError as exc:  # a name too long, a loop of symlinks
        raise InputError.single(spec, f"cannot look up this file: {exc.strerror or exc}") from None
    if path.suffix.lower() not in SUFFIXES:
        if exists:
            # A release must not make medieninfo read (and quote keys of) any file it names,
            # like /etc/passwd or a device: only letterhead files, by their suffix.
            raise InputError.single(
                spec, "not a letterhead file: its name must end in .yaml, .yml or .toml"
            )
        known = ", ".join(builtins)
        raise InputError.single(
            spec, f"no built-in letterhead '{spec}' (built in: {known}) and no such file"
        )
    if not exists:
        raise InputError.single(spec, f"letterhead file '{spec}' not found")
    return path


def load_letterhead(path: Path) -> Letterhead:
    """Read and validate a letterhead file (its font files by their headers: what only a
    full parse finds is the PDF stage's, :func:`medieninfo.pdf.fonts.register_family`)."""
    document = read_document(
        path, empty="file is empty; a letterhead needs at least organisation and sidebar"
    )
    root = document.root
    check = fields.Checker(document.name)
    check.unknown_keys(root, _KEYS)
    # Built-in letterheads may use everything that ships; a user's only its own folder.
    trusted = assets_dir() if _is_within(path, assets_dir()) else path.parent

    def local_file(node: Node) -> Path:
        return _local_file(fields.text(node, single_line=True), path.parent, trusted)

    def local_font(node: Node) -> Path:
        font = local_file(node)
        _check_font(font)
        return font

    organisation = check.field(root, "organisation", _single_line, required=True)
    title = check.field(root, "title", _single_line) or DEFAULT_TITLE
    sidebar = check.field(root, "sidebar", _sidebar, required=True)
    logo = check.field(root, "logo", local_file)
    logo_pixels, logo_png = (1, 1), None
    if logo is not None:
        try:
            logo_pixels, logo_png = _check_image(logo)
        except fields.FieldError as exc:
            node = _child(root, "logo")
            assert node is not None  # check.field found the logo there
            check.add(f"logo: {exc}", node.line, node.column)
            logo = None
    logo_alt = check.field(root, "logo_alt", _single_line) or (
        f"Logo {organisation}" if organisation else "Logo"
    )
    logo_width = check.field(root, "logo_width_mm", fields.positive_number) or (
        DEFAULT_LOGO_WIDTH_MM
    )
    exceptions = check.field(root, "hyphenation_exceptions", fields.text_list) or []
    first_number = check.field(root, "first_number", fields.whole_number)
    photo_dpi = check.field(root, "photo_dpi", _photo_dpi)
    labels = _labels(check, _child(root, "labels"))
    text_align = check.field(root, "text_align", _text_align) or "ragged"

    fonts = {key: assets_dir() / "fonts" / name for key, name in DEFAULT_FONTS.items()}
    where: dict[str, tuple[int, int]] = {}
    fonts_node = _child(root, "fonts")
    if (
        fonts_node is not None
        and not fonts_node.is_null
        and _expect_mapping(check, fonts_node, "fonts")
    ):
        check.unknown_keys(fonts_node, _FONT_KEYS, prefix="fonts.")
        for key in _FONT_KEYS:
            fonts[key] = check.field(
                fonts_node, key, local_font, required=True, label=f"fonts.{key}"
            )
            if (node := _child(fonts_node, key)) is not None:
                where[key] = (node.line or 1, node.column or 1)
    colours = dict(DEFAULT_COLOURS)
    colours_node = _child(root, "colors")
    if colours_node is not None and _expect_mapping(check, colours_node, "colors"):
        check.unknown_keys(colours_node, _COLOUR_KEYS, prefix="colors.")
        for key in _COLOUR_KEYS:
            colours[key] = (
                check.field(colours_node, key, fields.colour, label=f"colors.{key}")
                or (colours[key])
            )
    geometry = Geometry()
    page_node = _child(root, "page")
    if page_node is not None and _expect_mapping(check, page_node, "page"):
        check.unknown_keys(page_node, _PAGE_KEYS, prefix="page.")
        values = {
            key.removesuffix("_mm"): check.field(
                page_node, key, fields.positive_number, label=f"page.{key}"
            )
            for key in _PAGE_KEYS
        }
        geometry = Geometry(**{key: value for key, value in values.items() if value is not None})
        for problem in _geometry_problems(geometry):
            check.add(f"page: {problem}", page_node.line, page_node.column)
    mail = None
    mail_node = _child(root, "mail")
    if mail_node is not None and _expect_mapping(check, mail_node, "mail"):
        check.unknown_keys(mail_node, _MAIL_KEYS, prefix="mail.")
        sender = check.field(mail_node, "from", _address, required=True, label="mail.from")
        name = check.field(mail_node, "name", _single_line, label="mail.name")
        reply_to = check.field(mail_node, "reply_to", _address, label="mail.reply_to")
        if sender is not None:
            mail = Mail(sender, name or organisation or "", reply_to)
    if check.problems:
        raise InputError(check.problems)
    return Letterhead(
        name=path.stem,
        source=path,
        organisation=organisation,
        title=title,
        sidebar=tuple(sidebar),
        fonts=Fonts(**fonts, origin=document.name, where=where),
        logo=logo,
        logo_pixels=logo_pixels,
        logo_png=logo_png,
        logo_alt=logo_alt,
        logo_width=logo_width,
        accent=colours["accent"],
        text_colour=colours["text"],
        geometry=geometry,
        hyphenation_exceptions=tuple(exceptions),
        photo_dpi=photo_dpi,
        mail=mail,
        first_number=1 if first_number is None else first_number,
        labels=labels,
        text_align=text_align,
    )


#: Letterheads a process keeps loaded (a folder of releases usually shares one, a newsroom
#: a few): bounded, so that a long ``watch`` over many letterheads does not grow.
CACHED_LETTERHEADS = 8
#: A letterhead is remembered only if none of its files changed within this many seconds
#: before its load began: a file written during the load could otherwise be remembered with
#: its new stamp and its old content. One second is far above the timestamps' granularity
#: (a kernel tick, a few milliseconds) and costs only a second load of a just-saved file.
SETTLED_SECONDS = 1.0

#: (the path as given, the current folder) -> (the stamps of its files, the letterhead).
_loaded: dict[tuple[str, str], tuple[tuple[tuple[int, ...] | None, ...], Letterhead]] = {}


def cached_letterhead(path: Path) -> Letterhead:
    """:func:`load_letterhead`, remembered per process while the letterhead file and every
    file it names (fonts, logo) keep their stamps: device, inode, size, modification and
    change time. Loading checks the logo and the font headers, which costs more than reading
    a release, and a batch worker or ``watch`` renders many releases with one letterhead.

    The change time is set by the kernel on every write (and on ``touch``), so a file edited
    in place, replaced by a rename or copied over with its old modification time is read
    again. Keyed by the path as given and the current folder, because a letterhead's paths
    are relative to them. Problems are never remembered: a broken letterhead is checked
    (and reported) every time."""
    key = (str(path), os.getcwd())
    entry = _loaded.get(key)
    if entry is not None:
        stamps, letterhead = entry
        if tuple(map(_file_stamp, letterhead.files)) == stamps:
            return letterhead
        del _loaded[key]
    started = time.time()
    letterhead = load_letterhead(path)
    stamps = tuple(map(_file_stamp, letterhead.files))
    settled = started - SETTLED_SECONDS
    if all(stamp is not None and stamp[-1] < settled * 1e9 for stamp in stamps):
        while len(_loaded) >= CACHED_LETTERHEADS:
            del _loaded[next(iter(_loaded))]  # the oldest
        _loaded[key] = (stamps, letterhead)
    return letterhead


def _file_stamp(path: Path) -> tuple[int, ...] | None:
    """What tells one version of a file from another without reading it; the change time
    last (:func:`cached_letterhead` compares it with the clock)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


#: Below this a photo looks coarse even on screen; above it downsampling saves nothing.
_PHOTO_DPI_RANGE = (72.0, 600.0)


def _photo_dpi(node: Node) -> float:
    value = fields.positive_number(node)
    low, high = _PHOTO_DPI_RANGE
    if not low <= value <= high:
        raise fields.FieldError(f"must be between {low:g} and {high:g} (dots per inch)")
    return value


_TEXT_ALIGN = ("ragged", "justify")


def _text_align(node: Node) -> str:
    value = fields.text(node, single_line=True)
    if value not in _TEXT_ALIGN:
        raise fields.FieldError(f"expected 'ragged' or 'justify', found {value!r}")
    return value


def _labels(check: fields.Checker, node: Node | None) -> dict[str, dict[str, str]]:
    """The ``labels:`` section: language -> label -> template, each template checked."""
    if node is None or node.is_null or not _expect_mapping(check, node, "labels"):
        return {}
    result: dict[str, dict[str, str]] = {}
    assert isinstance(node.children, dict)
    for lang, entries in node.children.items():
        code = lang.strip().replace("_", "-").lower()
        if not _expect_mapping(check, entries, f"labels.{lang}"):
            continue
        check.unknown_keys(entries, tuple(PLACEHOLDERS), prefix=f"labels.{lang}.")
        templates: dict[str, str] = {}
        for key in PLACEHOLDERS:
            template = check.field(entries, key, _single_line, label=f"labels.{lang}.{key}")
            if template is None:
                continue
            problem = placeholder_problem(key, template)
            if problem is not None:
                where = _child(entries, key)
                assert where is not None
                check.add(f"labels.{lang}.{key}: {problem}", where.line, where.column)
                continue
            templates[key] = template
        result[code] = templates
    return result


def _single_line(node: Node) -> str:
    return fields.text(node, single_line=True)


def _child(mapping: Node, key: str) -> Node | None:
    assert isinstance(mapping.children, dict)
    return mapping.children.get(key)


def _expect_mapping(check: fields.Checker, node: Node, label: str) -> bool:
    if node.is_mapping:
        return True
    check.add(f"{label}: expected a mapping, found {fields.describe(node)}", node.line, node.column)
    return False


def _sidebar(node: Node) -> list[SidebarLine]:
    if not node.is_sequence:
        raise fields.FieldError(f"expected a list of lines, found {fields.describe(node)}")
    assert isinstance(node.children, list)
    lines = []
    for item in node.children:
        if not item.is_mapping:
            lines.append(SidebarLine(fields.text(item, single_line=True)))
            continue
        assert isinstance(item.children, dict)
        unknown = set(item.children) - {"text", "link", "bold"}
        if unknown:
            raise fields.FieldError(
                f"unknown key '{sorted(unknown)[0]}' in a sidebar line (known: text, link, bold)",
                item.line,
                item.column,
            )
        if "text" not in item.children:
            raise fields.FieldError("a sidebar line needs 'text'", item.line, item.column)
        link = item.children.get("link")
        bold = item.children.get("bold")
        lines.append(
            SidebarLine(
                fields.text(item.children["text"], single_line=True),
                _link(link) if link is not None else None,
                fields.boolean(bold) if bold is not None else False,
            )
        )
    return lines


def _link(node: Node) -> str:
    target = fields.text(node, single_line=True)
    if not target.lower().startswith(SAFE_SCHEMES):
        raise fields.FieldError(
            f"link '{target}' must start with http://, https:// or mailto:", node.line, node.column
        )
    return target


#: A plain address (RFC 5322 dot-atom local part, a host name with a dot): nothing a mail
#: header could read as a second address, a comment, a group or a line break.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def _address(node: Node) -> str:
    value = fields.text(node, single_line=True)
    if len(value) > 254 or not _ADDRESS.fullmatch(value):
        raise fields.FieldError(
            f"'{value}' is not a plain e-mail address like presse@example.org "
            "(no name, no brackets; put the name in mail.name)"
        )
    return value


def _is_within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _local_file(name: str, folder: Path, trusted: Path) -> Path:
    path = (folder / name).resolve()
    if not path.is_relative_to(trusted.resolve()):
        raise fields.FieldError(
            f"'{name}' is outside the letterhead's folder; put the file next to the letterhead"
        )
    if not path.is_file():
        raise fields.FieldError(f"file '{name}' not found next to the letterhead")
    return path


#: A4 in millimetres, and the smallest text column that still holds a page's first lines.
_PAGE_WIDTH_MM, _PAGE_HEIGHT_MM = 210.0, 297.0
_MIN_TEXT_WIDTH_MM, _MIN_TEXT_HEIGHT_MM = 30.0, 80.0


def _geometry_problems(geometry: Geometry) -> list[str]:
    """Geometry that would put text off the page or leave no room for it (a LayoutError)."""
    problems = []
    if geometry.margin_left + geometry.text_width > _PAGE_WIDTH_MM:
        problems.append(
            f"margin_left_mm + text_width_mm is {geometry.margin_left + geometry.text_width:g} mm;"
            f" the page is {_PAGE_WIDTH_MM:g} mm wide"
        )
    if geometry.sidebar_left + geometry.sidebar_width > _PAGE_WIDTH_MM:
        problems.append(
            f"sidebar_left_mm + sidebar_width_mm is "
            f"{geometry.sidebar_left + geometry.sidebar_width:g} mm; the page is "
            f"{_PAGE_WIDTH_MM:g} mm wide"
        )
    if geometry.text_width < _MIN_TEXT_WIDTH_MM:
        problems.append(f"text_width_mm must be at least {_MIN_TEXT_WIDTH_MM:g}")
    height = _PAGE_HEIGHT_MM - geometry.margin_top - geometry.margin_bottom
    if height < _MIN_TEXT_HEIGHT_MM:
        problems.append(
            f"margin_top_mm and margin_bottom_mm leave {height:g} mm for the text; "
            f"at least {_MIN_TEXT_HEIGHT_MM:g} mm are needed"
        )
    return problems


def _check_font(path: Path) -> None:
    if problem := check_truetype(path):
        raise fields.FieldError(f"'{path.name}' {problem}")


def _check_image(path: Path) -> tuple[tuple[int, int], Png | None]:
    """Refuse images that are too large or too broken to draw, before anything decodes them.

    Returns the size in pixels, and the PNG itself when it goes into the PDF as it is (see
    :mod:`medieninfo.pdf.logo`): that one is checked here completely. Any other logo is
    checked by its header, through Pillow.
    """
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise fields.FieldError(f"'{path.name}' is larger than {MAX_LOGO_BYTES // 2**20} MB")
    try:
        png = read_png(path.read_bytes())
    except ValueError as exc:
        raise fields.FieldError(f"'{path.name}' is not a readable image ({exc})") from None
    if png is None or not png.passes_through:
        return _check_with_pillow(path), None
    _check_pixels(path, png.width, png.height)
    try:
        check_data(png)
    except ValueError as exc:
        raise fields.FieldError(f"'{path.name}' is not a readable image ({exc})") from None
    return (png.width, png.height), png


def _check_with_pillow(path: Path) -> tuple[int, int]:
    from PIL import Image

    try:
        # Pillow warns (on stderr) about large images and raises above twice its own limit;
        # ours is lower and checked below, from the header alone.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                fmt = image.format
    except Image.DecompressionBombError:
        raise fields.FieldError(
            f"'{path.name}' has too many pixels; the limit is {MAX_LOGO_PIXELS:,}"
        ) from None
    except Exception as exc:  # Pillow raises many types for broken files
        raise fields.FieldError(f"'{path.name}' is not a readable image ({exc})") from None
    if fmt not in ("PNG", "JPEG"):
        raise fields.FieldError(f"'{path.name}' is {fmt}; use a PNG or JPEG logo")
    _check_pixels(path, width, height)
    return width, height


def _check_pixels(path: Path, width: int, height: int) -> None:
    if width * height > MAX_LOGO_PIXELS:
        raise fields.FieldError(
            f"'{path.name}' has {width}x{height} pixels; the limit is {MAX_LOGO_PIXELS:,}"
        )
