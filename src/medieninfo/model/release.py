"""Model stage: the press release as validated, typed data.

:func:`load_release` reads a YAML or TOML file and returns a :class:`Release`, or raises one
:class:`~medieninfo.errors.InputError` listing every problem found. The table :data:`FIELDS`
is the single description of the format: it drives validation, ``medieninfo schema`` and the
README's field list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import InputError
from . import fields
from .source import Document, Node, parse_document, read_document

if TYPE_CHECKING:
    from .photo import PhotoEntry


# A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods from
# source at every import (~0.3 ms of a cold render each); its fields read the same.
class FieldSpec(NamedTuple):
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
    #: Column of the body's lines in the file, where that is the same for every line (a
    #: YAML block scalar's indentation, a TOML multi-line string's first column), else None.
    body_column: int | None = field(default=None, compare=False, repr=False)


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
    return Release(
        source=document.name,
        folder=document.folder,
        lines=lines,
        body_line=_body_start(document.text, body_node),
        body_column=_body_column(document.text, body_node),
        **given,
    )


def _body_start(text: str, node: Node) -> int | None:
    """The line of the body's first character: below the key for ``|`` and ``>`` blocks."""
    if node.line is None:
        return None
    lines = text.splitlines()
    if 0 < node.line <= len(lines):
        rest = lines[node.line - 1][(node.column or 1) - 1 :].lstrip()
        if (node.line, node.column) == (node.key_line, node.key_column):
            # A TOML value is placed at its key: what matters follows "body =".
            rest = rest.partition("=")[2].lstrip()
        if rest[:1] in ("|", ">") or (
            rest.startswith(('"""', "'''")) and rest.strip() in ('"""', "'''")
        ):
            return node.line + 1
    return node.line


def _body_column(text: str, node: Node) -> int | None:
    """The column the body's lines start at, for a block scalar or a multi-line string."""
    start = _body_start(text, node)
    if node.line is None or start is None or start == node.line:
        return None  # the body starts on its key's line: its lines need not line up
    lines = text.splitlines()
    for line in lines[start - 1 :]:
        if line.strip():
            return len(line) - len(line.lstrip(" ")) + 1
    return None


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
