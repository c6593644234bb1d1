"""Model stage: the release's ``photos`` field, and how a photo's credit is printed.

A release names photos in two ways: in the body (``![alt text](foto.jpg)``, shown there) and
in its ``photos`` list (a file name, or ``{file, caption, credit, alt, rights, decorative}``),
which gives what the file itself does not say and adds photos shown after the body
(:mod:`.figures` joins the two; :mod:`.photofile` reads a file). What the file says is used
when the release does not say it:

- caption: XMP ``dc:description``, else IPTC Caption-Abstract (2:120);
- credit: XMP ``photoshop:Credit`` / IPTC Credit (2:110), else the creator (``dc:creator`` /
  By-line 2:80);
- rights: XMP ``dc:rights`` / IPTC Copyright Notice (2:116);
- alternative text: XMP ``Iptc4xmpCore:AltTextAccessibility`` (IPTC 2021.1; IIM has none).

A photo is a file in the release's folder or below it (``../``, absolute paths and symlinks
that lead elsewhere are refused, like a letterhead's logo), a JPEG or a PNG, checked by
:func:`.photofile.read_photo`; a release has at most :data:`.figures.MAX_PHOTOS` photos.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .fields import FieldError, boolean, describe, text
from .source import Node

if TYPE_CHECKING:
    from .content import Figure


_KEYS = ("file", "caption", "credit", "alt", "rights", "decorative")
_OWN_LABEL = re.compile(r"^\s*(?:foto|photo|bild|fotos|photos)\s*:\s*", re.IGNORECASE)

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
        # A credit that brings its own label ("Foto: …", common in IPTC) is not labelled twice.
        credit = _OWN_LABEL.sub("", figure.credit) or figure.credit
        parts.append(f"{credit_label(lang)} {credit}")
    if figure.rights:
        parts.append(figure.rights)
    return " · ".join(parts)
