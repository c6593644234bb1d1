"""Model stage: the press release as validated, typed data.

:func:`load_release` reads a YAML or TOML file and returns a :class:`Release`, or raises one
:class:`~medieninfo.errors.InputError` listing every problem found. The table :data:`FIELDS`
is the single description of the format: it drives validation, ``medieninfo schema`` and the
README's field list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from . import fields
from .source import Document, Node, parse_document, read_document

if TYPE_CHECKING:
    from .photo import PhotoEntry


@dataclass(frozen=True)
class FieldSpec:
    convert: Callable[[Node], Any]
    required: bool
    description: str
    #: The field's JSON Schema, or a function that makes it (imported only when asked).
    json_schema: dict[str, Any] | Callable[[], dict[str, Any]]


_DATE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\d{1,2}\.\s*\d{1,2}\.\s*\d{4}$"},
    ]
}


def _photos(node: Node) -> tuple[PhotoEntry, ...]:
    from .photo import photo_entries  # only a release with photos pays for the module

    return photo_entries(node)


def _photos_schema() -> dict[str, Any]:
    from .photo import PHOTOS_SCHEMA

    return PHOTOS_SCHEMA


FIELDS: dict[str, FieldSpec] = {
    "date": FieldSpec(fields.date, True, "Release date: 2022-04-28 or 28.4.2022", _DATE_SCHEMA),
    "number": FieldSpec(
        fields.whole_number,
        False,
        "Running release number, printed as '753.'",
        {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^\d+\.?$"}]},
    ),
    "headline": FieldSpec(
        lambda node: fields.text(node, single_line=True), True, "The headline", {"type": "string"}
    ),
    "subtitle": FieldSpec(
        lambda node: fields.text(node, single_line=True),
        False,
        "Standfirst under the headline",
        {"type": "string"},
    ),
    "body": FieldSpec(
        fields.text,
        True,
        "The text, in Markdown: paragraphs, ## subheadings, **bold**, *italic*, links, lists, "
        "CO~2~, m^2^",
        {"type": "string"},
    ),
    "contact": FieldSpec(
        lambda node: fields.text(node, single_line=True),
        False,
        "Printed at the end as 'Kontakt: ...'",
        {"type": "string"},
    ),
    "embargo": FieldSpec(
        fields.datetime,
        False,
        "Sperrfrist: date and time before which the release must not be published, "
        "like 2022-04-28 12:00",
        {"type": "string"},
    ),
    "letterhead": FieldSpec(
        lambda node: fields.text(node, single_line=True),
        False,
        "Built-in letterhead name (default 'dortmund') or a path relative to this file",
        {"type": "string"},
    ),
    "lang": FieldSpec(
        fields.language, False, "BCP 47 language tag, default de-DE", {"type": "string"}
    ),
    "typography": FieldSpec(
        fields.boolean,
        False,
        "Typographic refinement (quotes, dashes, no-break spaces); default true",
        {"type": "boolean"},
    ),
    "photos": FieldSpec(
        _photos,
        False,
        "Photos: a file name next to this file (caption and credit from its IPTC/XMP), or "
        "{file, caption, credit, alt, rights, decorative}. A photo named in the body as "
        "![alt](file) is shown there, the others after the body",
        _photos_schema,
    ),
}


@dataclass(frozen=True)
class Release:
    """One press release, validated. Text fields hold exactly what the user typed."""

    source: str
    folder: Path
    date: dt.date
    headline: str
    body: str
    number: int | None = None
    subtitle: str | None = None
    contact: str | None = None
    embargo: dt.datetime | None = None
    letterhead: str | None = None
    lang: str = "de-DE"
    typography: bool = True
    #: The ``photos`` list as given; the files are checked by :func:`.figures.resolve`.
    photos: tuple[PhotoEntry, ...] = ()
    #: Line of each field in the source, for messages from later stages.
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: Line on which the body's text begins (a YAML block scalar starts below its key).
    body_line: int | None = field(default=None, compare=False, repr=False)
    #: Columns before the body's text on its lines in the source (a YAML block's indent).
    body_indent: int = field(default=0, compare=False, repr=False)


def load_release(path: Path | str, *, fmt: str | None = None) -> Release:
    """Read, parse and validate a release file."""
    return release_from_document(read_document(Path(path), fmt=fmt))


def parse_release(data: bytes, *, name: str, folder: Path, fmt: str = "yaml") -> Release:
    """Validate a release given as bytes (standard input)."""
    return release_from_document(parse_document(data, name=name, folder=folder, fmt=fmt))


def release_from_document(document: Document) -> Release:
    root = document.root
    assert isinstance(root.children, dict)
    checker = fields.Checker(document.name)
    checker.unknown_keys(root, FIELDS)
    values = {
        key: checker.field(root, key, spec.convert, required=spec.required)
        for key, spec in FIELDS.items()
    }
    if checker.problems:
        raise InputError(checker.problems)
    given = {key: value for key, value in values.items() if value is not None}
    lines = {key: node.key_line or 1 for key, node in root.children.items()}
    body_node = root.children["body"]
    body_line = _body_start(document.text, body_node)
    return Release(
        source=document.name,
        folder=document.folder,
        lines=lines,
        body_line=body_line,
        body_indent=_body_indent(document.text, body_node, body_line, given.get("body", "")),
        **given,
    )


def _body_indent(text: str, node: Node, body_line: int | None, body: str) -> int:
    """Columns before the body's text on its first line in the file (a YAML block's indent,
    or where the value starts on the key's line), for the columns of photos in it."""
    lines = text.splitlines()
    if body_line is None or not 0 < body_line <= len(lines):
        return 0
    first = next((line for line in body.split("\n") if line.strip()), "")
    found = lines[body_line - 1].find(first[:40]) if first else -1
    return max(found, 0)


def _body_start(text: str, node: Node) -> int | None:
    """The line of the body's first character: below the key for ``|`` and ``>`` blocks."""
    if node.line is None:
        return None
    lines = text.splitlines()
    if 0 < node.line <= len(lines):
        rest = lines[node.line - 1][(node.column or 1) - 1 :].lstrip()
        # TOML values stand at their key's position: look past "body =".
        rest = re.sub(r"^body\s*=\s*", "", rest)
        if rest[:1] in ("|", ">") or (
            rest.startswith(('"""', "'''")) and rest.strip() in ('"""', "'''")
        ):
            return node.line + 1
    return node.line


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a release file, for editors (``medieninfo schema``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://medieninfo.invalid/schema/release.json",
        "title": "medieninfo press release",
        "type": "object",
        "additionalProperties": False,
        "required": [key for key, spec in FIELDS.items() if spec.required],
        "properties": {
            key: {
                "description": spec.description,
                **(spec.json_schema() if callable(spec.json_schema) else spec.json_schema),
            }
            for key, spec in FIELDS.items()
        },
    }
