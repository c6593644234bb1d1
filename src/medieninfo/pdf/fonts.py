"""Layout stage: register a letterhead's TrueType family with ReportLab, once per process.

Parsing a font's tables costs ReportLab time on every cold render (README, "Performance").
For the fonts medieninfo ships, the parsed tables are stored in the package
(``data/fonts/``, written by ``tools/cache_fonts.py``), found by the font file's SHA-256
and used only with the ReportLab version that made them; any other font, or a mismatch, is
parsed as before. The big tables of a stored face are read when it is first used. A
batch or ``watch`` renders many releases in one process, so each file is registered once
and its names reused, until the file changes.
"""

from __future__ import annotations

import pickle
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import InputError
from ..model.letterhead import Fonts


# A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods from
# source at every import (~0.3 ms of a cold render each); its fields read the same.
class FontNames(NamedTuple):
    """The ReportLab names of one family's four faces."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    family: str


class _Face(NamedTuple):
    name: str
    #: The file's modification time (ns) and size when it was read.
    stamp: tuple[int, int]


_registered: dict[Path, _Face] = {}


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def register_face(path: Path) -> str:
    """Register the font file ``path`` and return its ReportLab name.

    Once per file, as long as it is unchanged: a long process (``watch``, a batch worker)
    looks at the file's modification time and size on every call, and when they changed
    (another face saved under the same name) registers the file again under the same name,
    so that a fresh process and the long one write the same PDF, and forgets what was
    remembered about the old face (its shaped words)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    known = _registered.get(path)
    stamp = _stamp(path)
    if known is not None and known.stamp == stamp:
        return known.name
    if known is not None:
        name = known.name
    else:
        # The file's stem names the font inside the PDF; a second file with the same stem
        # gets a suffix so that two letterheads never share a name for different fonts.
        name, counter = path.stem, 1
        while name in pdfmetrics.getRegisteredFontNames():
            counter += 1
            name = f"{path.stem}-{counter}"
    data = path.read_bytes()
    stored = stored_tables(data)
    if stored is None:
        font = TTFont(name, str(path))
        _alias_soft_hyphen(font.face)
    else:
        font = _restore(name, path, data, stored)  # aliased when its tables are read
    if known is not None:
        # registerFont keeps a name it knows, and a face name it knows (the font's own
        # name, not ours): drop both entries of the old font first.
        old = pdfmetrics._fonts.pop(name, None)
        for face_name, registered in list(pdfmetrics._dynFaceNames.items()):
            if registered is old:
                del pdfmetrics._dynFaceNames[face_name]
        _forget(name)
    pdfmetrics.registerFont(font)
    _registered[path] = _Face(name, stamp)
    return name


def _forget(name: str) -> None:
    """What other modules remember about the font ``name``, which now is another font: the
    shaped words (glyph ids and advances of the old face) and the line breaker's widths.
    ReportLab keeps nothing else by name: each document starts its own font state, and
    widths come from the font object."""
    from . import breaking, patches

    patches.forget_shapes(name)
    # The breaker's widths by font name (advances, the space) belong to the old face too.
    breaking.forget_metrics()


def _register_listed(fonts: Fonts, key: str) -> str:
    path: Path = getattr(fonts, key)
    try:
        return register_face(path)
    except Exception as exc:  # ReportLab raises TTFError, struct.error, ... for broken files
        line, column = fonts.where.get(key, (None, None))
        detail = " ".join(str(exc).split())
        raise InputError.single(
            fonts.origin or path,
            f"fonts.{key}: '{path.name}' is not a usable TrueType font ({detail})",
            line,
            column,
        ) from None


def _alias_soft_hyphen(face: Any) -> None:
    """Give a font that lacks U+00AD SOFT HYPHEN its hyphen's glyph for it.

    Line-end hyphens are drawn as U+00AD (layout.SOFT_HYPHEN), so that their text reads as
    a soft hyphen; Noto Sans has the glyph, a letterhead's own font may not.
    """
    glyphs, widths = face.charToGlyph, face.charWidths
    if 0xAD not in glyphs and 0x2D in glyphs:
        glyphs[0xAD] = glyphs[0x2D]
        widths[0xAD] = widths.get(0x2D, face.defaultWidth)


#: Parsed tables of the shipped fonts, one file per font, named by the font's SHA-256.
CACHE = Path(__file__).parents[1] / "data" / "fonts"
#: Bump when what is stored changes; a file of another format is ignored.
CACHE_FORMAT = 2
#: The tables read only when a face is first used: a letterhead registers four faces and a
#: release often sets text in three, and unpickling these is most of a face's ~2 ms.
LAZY_TABLES = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos")


def cache_key() -> dict[str, object]:
    """What a stored face must have been made with to be used here."""
    from reportlab import Version

    return {"format": CACHE_FORMAT, "reportlab": Version}


def store_tables(font_name: str, tables: dict[str, Any]) -> bytes:
    """The stored form of a face's :func:`tables_of` (for tools/cache_fonts.py)."""
    lazy = {key: tables[key] for key in LAZY_TABLES}
    eager = {key: value for key, value in tables.items() if key not in lazy}
    # Uncompressed: zlib would halve the file and cost a cold render ~0.4 ms a face.
    stored = {"key": cache_key(), "font": font_name, "tables": eager, "lazy": pickle.dumps(lazy)}
    return pickle.dumps(stored, protocol=5)


def stored_tables(data: bytes) -> tuple[dict[str, Any], bytes] | None:
    """The stored tables of the font ``data`` if it is a shipped font and they fit: the
    eager ones, and the pickled :data:`LAZY_TABLES`."""
    path = CACHE / f"{sha256(data).hexdigest()}.pickle"
    if not path.is_file():
        return None
    try:
        # Trusted as the modules beside it are: it ships in the package, and only
        # tools/cache_fonts.py writes it. It names ReportLab classes, so under another
        # ReportLab it may not even load: then the font is parsed, as for any other.
        stored = pickle.loads(path.read_bytes())
        if stored["key"] != cache_key():
            return None
        tables: dict[str, Any] = stored["tables"]
        lazy: bytes = stored["lazy"]
        if not isinstance(tables, dict) or not isinstance(lazy, bytes):
            return None
    except Exception:
        return None
    return tables, lazy


def cached_tables(data: bytes) -> dict[str, Any] | None:
    """All stored tables of the font ``data`` (:func:`stored_tables`, the lazy ones read)."""
    stored = stored_tables(data)
    if stored is None:
        return None
    try:
        return {**stored[0], **pickle.loads(stored[1])}
    except Exception:
        return None


def tables_of(face: Any) -> dict[str, Any]:
    """What ReportLab parsed from a font file, less what is restored without parsing."""
    return {k: v for k, v in vars(face).items() if k not in _RESTORED}


# The file's bytes and name, and the scale function (a lambda, which pickle refuses).
_RESTORED = frozenset({"_ttf_data", "filename", "_pdfScale"})


def _restore(name: str, path: Path, data: bytes, stored: tuple[dict[str, Any], bytes]) -> Any:
    """A TTFont as ``TTFont(name, path)`` makes it, from stored tables instead of a parse;
    its :data:`LAZY_TABLES` are read when the face is first asked for one."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

    tables, lazy = stored
    face = _stored_face_class()()
    vars(face).update(tables)
    face._ttf_data = data
    face.filename = str(path)
    face._lazy_tables = lazy
    # As TTFontFile.extractInfo computes it.
    multiple = 1000 / face.unitsPerEm
    face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * multiple)
    font = TTFont.__new__(TTFont)
    # What TTFont.__init__ sets around the parse (test_fonts compares the two).
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in rl_config.unShapedFontGlob)
    return font


@cache
def _stored_face_class() -> type:
    """TTFontFace with its big tables read on first use (ReportLab is imported late)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    class StoredFace(TTFontFace):
        """A face restored from the package's store; :data:`LAZY_TABLES` come on demand."""

        def __init__(self) -> None:  # the tables are set from outside, not parsed
            pass

        def __getattr__(self, name: str) -> Any:
            # Only asked for what the face does not have (yet): read the lazy tables once.
            lazy = self.__dict__.get("_lazy_tables")
            if lazy is None or name not in LAZY_TABLES:
                raise AttributeError(name)
            del self.__dict__["_lazy_tables"]
            self.__dict__.update(pickle.loads(lazy))
            _alias_soft_hyphen(self)
            return getattr(self, name)

    StoredFace.__qualname__ = StoredFace.__name__ = "StoredFace"
    return StoredFace


def register_family(fonts: Fonts) -> FontNames:
    """Register a letterhead's four faces (again when a file changed: :func:`register_face`).
    A face ReportLab cannot read (the letterhead checked only its header) raises
    InputError at its key in the letterhead file."""
    from reportlab.lib.fonts import addMapping

    regular, bold, italic, bold_italic = (
        _register_listed(fonts, key) for key in ("regular", "bold", "italic", "bold_italic")
    )
    # <b>/<i> in paragraph markup find the faces through this mapping, named after regular.
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold_italic)
    return FontNames(regular, bold, italic, bold_italic, family=regular)
