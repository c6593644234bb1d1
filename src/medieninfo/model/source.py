"""Load stage: read a YAML or TOML file into a tree of values that remember where they stood.

The tree keeps every scalar as the text the user typed (YAML) or the value TOML defines, with
its line and column, so that validation can point at the exact spot of a mistake. YAML's
type guessing is switched off on purpose: ``no`` stays ``"no"`` and ``0753`` stays ``"0753"``;
the validator decides what a field means.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import InputError, Problem

#: Largest input file we read. A long release is a few dozen KB; 5 MB leaves room for a
#: year's worth of text while keeping a pasted binary from eating memory.
MAX_BYTES = 5 * 1024 * 1024
#: Values a document may expand to. YAML aliases can make a small file expand exponentially.
MAX_NODES = 50_000
#: Nesting depth; a release is two levels deep, a letterhead three.
MAX_DEPTH = 32

_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"
#: What an empty file is told; a letterhead passes its own (see read_document's ``empty``).
EMPTY_RELEASE = "file is empty; a release needs at least date, headline and body"
_YAML_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class Node:
    """A value from the file and where it starts (1-based line and column)."""

    value: Any
    line: int | None = None
    column: int | None = None
    #: Where the key of a mapping entry starts; the better place to point at for a bad value.
    key_line: int | None = None
    key_column: int | None = None
    #: True for a YAML plain (unquoted) scalar: only those can mean null.
    plain: bool = False
    children: dict[str, Node] | list[Node] | None = field(default=None, repr=False)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.children, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.children, list)

    @property
    def is_null(self) -> bool:
        return self.children is None and self.value is None


# A NamedTuple, not a frozen dataclass: Python 3.11 compiles a dataclass's methods from
# source at every import (~0.3 ms of a cold render each); its fields read the same.
class Document(NamedTuple):
    """A parsed input file: its display name, its folder, its root node and its raw text."""

    name: str
    folder: Path
    root: Node
    text: str


def read_document(path: Path, *, fmt: str | None = None, empty: str = EMPTY_RELEASE) -> Document:
    """Read and parse ``path``; ``fmt`` is ``"yaml"`` or ``"toml"`` (default: by suffix);
    ``empty`` is the message for a file with nothing in it."""
    name = str(path)
    try:
        data = read_regular(path, limit=MAX_BYTES)
    except NotRegularFile:
        raise InputError.single(name, "not a regular file") from None
    except FileNotFoundError:
        raise InputError.single(name, "no such file") from None
    except OSError as exc:
        raise InputError.single(name, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise InputError.single(name, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    return parse_document(
        data, name=name, folder=path.parent, fmt=fmt or format_of(path), empty=empty
    )


class NotRegularFile(OSError):
    """The path is a FIFO, a device, a socket or a folder, not a file to read."""


def read_regular(path: Path, *, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file ``path`` (one more than allowed, so a
    caller sees that it is too large without reading all of it).

    Opening never blocks: ``O_NONBLOCK`` makes opening a FIFO (or ``/dev/stdin`` of a
    terminal) return at once, and ``fstat`` on the open descriptor, not the name, decides
    whether it is a regular file, so a name swapped after a check cannot slip one in.
    Raises :class:`NotRegularFile` for anything else, OSError when it cannot be read.
    """
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile(f"{path}: not a regular file")
        return read_at_most(descriptor, limit + 1)
    finally:
        os.close(descriptor)


def read_at_most(descriptor: int, size: int) -> bytes:
    """Up to ``size`` bytes from ``descriptor``, in slices of 1 MiB: one byte over a limit is
    enough to refuse a file or a pipe, so nothing larger is ever held. Raises OSError."""
    chunks = []
    left = size
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


#: File names medieninfo reads releases and letterheads from.
SUFFIXES = (".yaml", ".yml", ".toml")


def format_of(path: Path) -> str:
    return "toml" if path.suffix.lower() == ".toml" else "yaml"


def parse_document(
    data: bytes, *, name: str, folder: Path, fmt: str, empty: str = EMPTY_RELEASE
) -> Document:
    """Parse bytes already read (from a file or standard input)."""
    if len(data) > MAX_BYTES:
        raise InputError.single(name, f"input is larger than {MAX_BYTES // (1024 * 1024)} MB")
    text = _decode(data, name)
    root = _parse_toml(text, name) if fmt == "toml" else _parse_yaml(text, name)
    if root is None or (root.is_mapping and not root.children):
        raise InputError.single(name, empty)
    if not root.is_mapping:
        kind = "a list" if root.is_sequence else "a single value"
        raise InputError.single(
            name,
            f"expected a mapping of fields (like 'headline: ...'), found {kind}",
            root.line,
            root.column,
        )
    return Document(name=name, folder=folder, root=root, text=text)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError.single(name, "file is UTF-16 encoded; save it as UTF-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _line_col(data, exc.start)
        raise InputError.single(
            name,
            f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8",
            line,
            column,
        ) from None


def _text_line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


# --------------------------------------------------------------------------- YAML


def _parse_yaml(text: str, name: str) -> Node | None:
    """The document's root node; None for a document with nothing in it."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        # libyaml's composer recurses in C: a few thousand '[' crash the interpreter with a
        # segmentation fault, so the nesting depth is checked on the (flat) event stream first.
        # Counting values there too keeps a huge flat list from being built at all.
        _check_yaml_shape(yaml.parse(text, Loader=loader), name)
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        # PyYAML 6.0.4 limits nesting in its scanner, which reads ahead of our own check.
        message = _TOO_DEEP if "nesting depth" in message else f"YAML syntax error: {message}"
        raise InputError.single(
            name,
            message,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        # Raised for raw control characters before any position is known; find it here.
        # libyaml counts UTF-8 bytes, the pure-Python reader characters.
        line, column = (
            _line_col(text.encode("utf-8", "surrogatepass"), exc.position)
            if loader is not yaml.SafeLoader
            else _text_line_col(text, exc.position)
        )
        message = f"control character U+{exc.character:04X} is not allowed"
        if not isinstance(exc.character, int):
            message = f"character {exc.character!r} is not allowed"
        raise InputError.single(name, message, line, column) from None
    except yaml.YAMLError as exc:
        raise InputError.single(name, f"YAML error: {exc}") from None
    if node is None:
        return None
    return _YamlConverter(name).convert(node, 0)


def _check_yaml_shape(events: Any, name: str) -> None:
    import yaml

    depth = count = 0

    def fail(event: Any, message: str) -> InputError:
        mark = event.start_mark
        return InputError.single(name, message, mark.line + 1, mark.column + 1)

    for event in events:
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            count += 1
            if count > MAX_NODES:
                raise fail(event, f"document has more than {MAX_NODES} values")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise fail(event, _TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _YamlConverter:
    """Turn composed YAML nodes into :class:`Node` trees, counting to defuse alias bombs."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def convert(self, node: Any, depth: int) -> Node:
        import yaml

        self.count += 1
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if self.count > MAX_NODES:
            raise InputError.single(
                self.name,
                f"document expands to more than {MAX_NODES} values (too many aliases?)",
                line,
                column,
            )
        if depth > MAX_DEPTH:
            raise InputError.single(self.name, _TOO_DEEP, line, column)
        if isinstance(node, yaml.ScalarNode):
            # The pure-Python composer marks a plain scalar with style None, libyaml with "".
            plain = not node.style
            value = None if plain and node.value in _YAML_NULLS else node.value
            return Node(value, line, column, plain=plain)
        if isinstance(node, yaml.SequenceNode):
            items = [self.convert(item, depth + 1) for item in node.value]
            return Node(None, line, column, children=items)
        mapping: dict[str, Node] = {}
        problems: list[Problem] = []
        for key_node, value_node in node.value:
            key_line, key_column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                message = "a key must be plain text"
                problems.append(Problem(self.name, message, key_line, key_column))
                continue
            key = key_node.value
            if key in mapping:
                first = mapping[key]
                problems.append(
                    Problem(
                        self.name,
                        f"duplicate key '{key}' (first given on line {first.key_line})",
                        key_line,
                        key_column,
                    )
                )
                continue
            child = self.convert(value_node, depth + 1)
            child.key_line, child.key_column = key_line, key_column
            mapping[key] = child
        if problems:
            raise InputError(problems)
        return Node(None, line, column, children=mapping)


# --------------------------------------------------------------------------- TOML

# Pattern sources, compiled (and cached) by re on first use: a YAML release needs none.
_TOML_POSITION = r"\s*\(at line (\d+), column (\d+)\)\s*$"
_TOML_KEY = r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*="""
_TOML_TABLE = r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$"


def _parse_toml(text: str, name: str) -> Node:
    import tomllib

    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively; a few hundred '[' are
        # enough. Python recovers cleanly from this one, so it becomes a message.
        raise InputError.single(name, _TOO_DEEP) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(_TOML_POSITION, message)
        line = column = None
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        raise InputError.single(name, f"TOML syntax error: {message}", line, column) from None
    return _TomlConverter(name, _toml_key_positions(text)).convert(data, (), 1, 1)


class _TomlConverter:
    """Turn tomllib's values into :class:`Node` trees, with the same caps as for YAML."""

    def __init__(self, name: str, positions: dict[tuple[str, ...], tuple[int, int]]) -> None:
        self.name = name
        self.positions = positions
        self.count = 0

    def convert(self, value: Any, path: tuple[str, ...], line: int, column: int) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError.single(
                self.name, f"document has more than {MAX_NODES} values", line, column
            )
        if len(path) > MAX_DEPTH:
            raise InputError.single(self.name, _TOO_DEEP, line, column)
        if isinstance(value, dict):
            children = {}
            for key, item in value.items():
                key_line, key_column = self.positions.get((*path, key), (line, column))
                child = self.convert(item, (*path, key), key_line, key_column)
                child.key_line, child.key_column = key_line, key_column
                children[key] = child
            return Node(None, line, column, children=children)
        if isinstance(value, list):
            # An array adds a level of nesting without a key; "[i]" keeps the depth honest
            # and finds the i-th table of an array of tables ([[photos]]) in the text.
            return Node(
                None,
                line,
                column,
                children=[
                    self.convert(v, (*path, f"[{index}]"), *self._item(path, index, line, column))
                    for index, v in enumerate(value)
                ],
            )
        return Node(value, line, column)

    def _item(self, path: tuple[str, ...], index: int, line: int, column: int) -> tuple[int, int]:
        return self.positions.get((*path, f"[{index}]"), (line, column))


def _toml_key_positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """Find where each key is defined, since tomllib does not report positions.

    A light line scanner is enough: it knows table headers and skips multi-line strings,
    and a key it misses only makes an error message point at the table instead.
    """
    positions: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    in_string: str | None = None
    # How many tables of each array of tables ([[name]]) came so far.
    arrays: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = re.match(_TOML_TABLE, line)
        if header:
            table = tuple(part.strip().strip("\"'") for part in header.group(1).split("."))
            positions.setdefault(table, (number, line.index("[") + 1))
            if line.lstrip().startswith("[["):
                count = arrays.get(table, 0)
                arrays[table] = count + 1
                table = (*table, f"[{count}]")
                positions.setdefault(table, (number, line.index("[") + 1))
            continue
        key = re.match(_TOML_KEY, line)
        if key:
            name = next(group for group in key.groups() if group is not None)
            column = line.index(name[:1] or "=") + 1 if name else 1
            positions.setdefault((*table, name), (number, column))
            for quotes in ('"""', "'''"):
                if line.count(quotes) % 2 == 1:
                    in_string = quotes
    return positions
