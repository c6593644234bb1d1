"""Field checks shared by the release and the letterhead models.

Each function takes a :class:`~medieninfo.source.Node` and returns the typed value or raises
:class:`FieldError`; the caller records the error as a :class:`~medieninfo.errors.Problem`
at the node's position and goes on, so that one run reports every problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import Problem
from .source import Node


class FieldError(ValueError):
    """A value is not acceptable; ``line``/``column`` refine the node's own position."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


#: What text may not hold: control characters (Unicode's Cc: C0, DEL and C1) but newline and
#: tab, lone surrogates (Cs) and the noncharacters U+FFFE and U+FFFF. One search, not a
#: category lookup per character (a body's few thousand were a fifth of reading a release).
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?(?:\s*Uhr)?$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_BOOLS = {"true": True, "false": False}


def describe(node: Node) -> str:
    """Name the kind of value a node holds, for 'expected X, found Y' messages."""
    if node.is_mapping:
        return "a mapping"
    if node.is_sequence:
        return "a list"
    value = node.value
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    return "text"


def text(node: Node, *, single_line: bool = False) -> str:
    """A non-empty string; control characters and lone surrogates are refused."""
    if not isinstance(node.value, str) or node.children is not None:
        raise FieldError(f"expected text, found {describe(node)}")
    value = node.value
    refused = _REFUSED.search(value)
    if refused is not None:
        index, char = refused.start(), refused.group()
        line_offset = value.count("\n", 0, index)
        raise FieldError(
            f"control character U+{ord(char):04X} is not allowed in text",
            (node.line or 1) + line_offset if node.line else None,
            None if line_offset else node.column,
        )
    if single_line:
        value = " ".join(value.split())
    if not value.strip():
        raise FieldError("must not be empty")
    return value


def date(node: Node) -> dt.date:
    """A date: TOML/YAML ``2022-04-28`` or the German ``28.4.2022``."""
    value = node.value
    if isinstance(value, dt.datetime):
        raise FieldError("expected a date without a time")
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or node.children is not None:
        raise FieldError(f"expected a date like 2022-04-28 or 28.4.2022, found {describe(node)}")
    return _parse_date(value.strip())


def _parse_date(value: str) -> dt.date:
    iso = _ISO_DATE.match(value)
    german = _GERMAN_DATE.match(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif german:
        day, month, year = (int(part) for part in german.groups())
    else:
        raise FieldError(f"'{value}' is not a date; write 2022-04-28 or 28.4.2022")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"impossible date '{value}': {exc}") from None


def datetime(node: Node) -> dt.datetime:
    """A date and time: ``2022-04-28 12:00``, ``2022-04-28T12:00`` or ``28.4.2022, 12:00 Uhr``."""
    value = node.value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        raise FieldError("give a time as well, like 2022-04-28 12:00")
    if not isinstance(value, str) or node.children is not None:
        raise FieldError(f"expected a date and time like 2022-04-28 12:00, found {describe(node)}")
    raw = value.strip()
    day_part, sep, time_part = raw.replace("T", " ").replace(",", " ").partition(" ")
    if not sep or not time_part.strip():
        raise FieldError(f"'{raw}' has no time; write it like 2022-04-28 12:00")
    day = _parse_date(day_part.strip())
    clock = _TIME.match(time_part.strip())
    if not clock:
        raise FieldError(f"'{time_part.strip()}' is not a time; write it like 12:00")
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError as exc:
        raise FieldError(f"impossible time '{time_part.strip()}': {exc}") from None


def whole_number(node: Node) -> int:
    value = node.value
    if isinstance(value, bool):
        raise FieldError("expected a whole number, found true/false")
    if isinstance(value, int):
        if value < 0:
            raise FieldError("must not be negative")
        return value
    if isinstance(value, str) and node.children is None:
        digits = value.strip().removesuffix(".")
        if digits.isascii() and digits.isdigit() and len(digits) <= 12:
            return int(digits)
        raise FieldError(f"'{value}' is not a whole number like 753")
    raise FieldError(f"expected a whole number like 753, found {describe(node)}")


def positive_number(node: Node) -> float:
    value = node.value
    if isinstance(value, str) and node.children is None:
        try:
            value = float(value)
        except ValueError:
            raise FieldError(f"'{node.value}' is not a number") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"expected a number, found {describe(node)}")
    if not 0 < value < 10_000:
        raise FieldError("must be a positive number")
    return float(value)


def boolean(node: Node) -> bool:
    value = node.value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _BOOLS:
        return _BOOLS[value.lower()]
    raise FieldError(f"expected true or false, found {describe(node)}")


def language(node: Node) -> str:
    value = text(node, single_line=True)
    if not _LANG.match(value):
        raise FieldError(f"'{value}' is not a language tag like de-DE or en-GB")
    return value


def colour(node: Node) -> str:
    value = text(node, single_line=True)
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
        raise FieldError(f"'{value}' is not a colour like #1a4f8b")
    return value.lower()


def text_list(node: Node) -> list[str]:
    if not node.is_sequence:
        raise FieldError(f"expected a list, found {describe(node)}")
    assert isinstance(node.children, list)
    return [text(item, single_line=True) for item in node.children]


class Checker:
    """Collects problems while the fields of one mapping are converted."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, message: str, line: int | None, column: int | None) -> None:
        self.problems.append(Problem(self.file, message, line, column))

    def field(
        self,
        mapping: Node,
        key: str,
        convert: Callable[[Node], Any],
        *,
        required: bool = False,
        label: str | None = None,
    ) -> Any:
        """Convert ``mapping[key]``; record a problem and return None when it is wrong."""
        assert isinstance(mapping.children, dict)
        label = label or key
        node = mapping.children.get(key)
        if node is None or node.is_null:
            if required:
                where = node or mapping
                line = where.key_line or where.line
                column = where.key_column or where.column
                if node is None:
                    self.add(f"missing required field '{label}'", line, column)
                else:
                    self.add(f"field '{label}' is empty", line, column)
            return None
        try:
            return convert(node)
        except FieldError as exc:
            self.add(f"{label}: {exc}", exc.line or node.line, exc.column or node.column)
            return None

    def unknown_keys(self, mapping: Node, known: Iterable[str], *, prefix: str = "") -> None:
        assert isinstance(mapping.children, dict)
        known = list(known)
        for key, node in mapping.children.items():
            if key in known:
                continue
            import difflib  # only for a misspelt key: not on every run

            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = (
                f" (did you mean '{prefix}{guess[0]}'?)"
                if guess
                else (f"; known fields: {', '.join(prefix + k for k in known)}")
            )
            self.add(f"unknown field '{prefix}{key}'{hint}", node.key_line, node.key_column)
