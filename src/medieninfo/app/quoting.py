"""Text that is safe to print on a terminal: control characters and undecodable bytes escaped.

A message names files, and a file's name may hold any byte but ``/`` and NUL: a newline
would fake a second ``file:line:col`` line, an ANSI escape would recolour or rewrite the
terminal. Like git and ruff, medieninfo prints such names C-quoted (``a\\nb``, ``\\x1b``);
bytes of a name that are not UTF-8 (Python's surrogate escapes) print as ``\\xff``, so the
line can always be encoded, whatever ``PYTHONIOENCODING`` says. Our own message text has no
control characters, so quoting a whole line changes only what came from outside.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, and the lone surrogates that stand for undecodable bytes.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape of the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character and undecodable byte written as an escape."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_escape, text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_encodable(document: str) -> str:
    """A JSON document with the undecodable bytes of file names escaped: JSON escapes
    control characters itself but cannot carry a lone surrogate, which no encoding of
    standard output accepts. Each becomes the text ``\\xff`` (its backslash escaped, so the
    JSON stays valid); surrogates only occur inside JSON strings."""
    if _SURROGATE.search(document) is None:
        return document
    return _SURROGATE.sub(lambda match: "\\" + _escape(match), document)
