"""PDF objects that medieninfo writes itself, as bytes, in ReportLab's layout.

The structure tree is a few hundred small dictionaries per release. Built as ReportLab
``PDFDictionary``/``PDFArray`` objects, each is constructed, then taken apart again by
ReportLab's recursive formatter; here each is joined once from bytes (:func:`dictionary`,
:func:`array`), and a :class:`Written` object hands those bytes to ReportLab's document,
which still numbers the objects and writes the cross-reference table.

The bytes are the ones ReportLab's ``PDFDictionary.format`` and ``PDFArray.format`` make
(``tests/pdf/test_structure_tree.py`` compares whole PDFs): keys sorted, a line break after
every 6 entries of a dictionary and every 10 elements of an array, and ``rl_config
.pdfMultiLine``'s one element per line when that is on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFName, PDFObject, pdfdocEnc


class Written(PDFObject):
    """An indirect object whose content is already written (``data``, set before saving)."""

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


#: Names by their text (structure types, keys): a release uses a few dozen, all from code.
_NAMES: dict[str, bytes] = {}
_NAMES_KEPT = 1_024


def name(value: str) -> bytes:
    """``/Value`` as ReportLab's ``PDFName`` writes it (with its ``#xx`` escapes)."""
    found = _NAMES.get(value)
    if found is None:
        if len(_NAMES) >= _NAMES_KEPT:
            _NAMES.clear()
        found = _NAMES[value] = pdfdocEnc(PDFName(value))
    return found


def register(document: Any, element: Written, internal_name: str) -> bytes:
    """``document.Reference(element, internal_name)`` for a new object, as ``n 0 R``.

    ReportLab's ``Reference`` tests for references, for names already given and for
    objects already registered before it numbers a new object; a structure tree registers
    a few dozen new ``Written`` objects under new names, so those steps are taken here
    directly (the same number, version 0, the same three tables and ``__InternalName__``).
    A name already taken goes to ReportLab, which refuses or reuses it as it does.
    """
    objects = document.idToObject
    if internal_name in objects or hasattr(element, "__InternalName__"):
        document.Reference(element, internal_name)
        return reference(document, internal_name)
    number = document.objectcounter = document.objectcounter + 1
    element.__InternalName__ = internal_name
    document.idToObjectNumberAndVersion[internal_name] = (number, 0)
    document.numberToId[number] = internal_name
    objects[internal_name] = element
    return b"%d 0 R" % number


def reference(document: Any, internal_name: str) -> bytes:
    """``n v R`` for the object ``document`` registered under ``internal_name``."""
    return b"%d %d R" % document.idToObjectNumberAndVersion[internal_name]


def dictionary(entries: Mapping[str, bytes]) -> bytes:
    """``<< /Key value … >>`` of written values, keys sorted, as ``PDFDictionary`` has it."""
    return dictionary_of([name(key) + b" " + entries[key] for key in sorted(entries)])


def dictionary_of(
    parts: list[bytes], *, multiline: bool | str = True, indent: bytes = b"\n "
) -> bytes:
    """A dictionary of written ``/Key value`` entries, given in the order to write them (it
    changes ``parts``); ``multiline`` is the ReportLab object's attribute of that name and
    ``indent`` what ``PDFDictionary.format`` puts between entries when it is on."""
    if (multiline and rl_config.pdfMultiLine) or multiline == "forced":
        return b"<<\n" + indent.join(parts) + b"\n>>"
    if len(parts) > 6:  # (most have fewer: no break to make)
        for index in reversed(range(6, len(parts), 6)):
            parts.insert(index, b"\n ")
    return b"<<\n" + b" ".join(parts) + b"\n>>"


def array(items: Iterable[bytes], *, multiline: bool | str = True) -> bytes:
    """``[ a b … ]`` of written values, as ``PDFArray`` has it (``multiline`` as there); a
    list given is changed, not copied, as :func:`dictionary_of` changes its parts."""
    parts = items if type(items) is list else list(items)
    if (multiline and rl_config.pdfMultiLine) or multiline == "forced":
        return b"[ " + b"\n ".join(parts) + b" ]"
    if len(parts) > 10:  # (most have fewer: no break to make)
        for index in reversed(range(10, len(parts), 10)):
            parts.insert(index, b"\n ")
    return b"[ " + b" ".join(parts) + b" ]"
