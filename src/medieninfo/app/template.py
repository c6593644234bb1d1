"""``medieninfo new``: a commented release file to start from, dated today.

The template renders as it is, so a new user sees a PDF before reading any documentation;
every optional field is there, commented out, with a line saying what it does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError
from . import defaults

if TYPE_CHECKING:
    from ..newsroom.catalogue import Entry

_TEMPLATE = """\
# A press release for medieninfo. Render it with: medieninfo render {name}
# Check it without rendering:                   medieninfo check {name}
# Editors validate and complete this file with the schema from `medieninfo schema`
# (see the README: "Scripts and folders").

date: {date}                # release date; also 28.4.2022
{number_line}
headline: Die Überschrift der Pressemitteilung
subtitle: Ein Satz, der sagt, worum es geht.
contact: Vorname Nachname, Telefon 0231 50-0

# embargo: {date} 12:00     # Sperrfrist, printed on page 1
# letterhead: dortmund      # a built-in letterhead or a letterhead file next to this one
# lang: de-DE               # language: hyphenation, quotes, PDF language
# typography: false         # turn off typographic quotes, dashes and spaces

# Photos: a JPEG or PNG next to this file. Name it in the body as ![what it shows](foto.jpg)
# to show it there; caption and credit come from the file's IPTC data, or say them here.
# photos:
#   - file: foto.jpg
#     caption: Wer oder was zu sehen ist.
#     credit: Stadt Dortmund / Vorname Nachname   # printed "Foto: ..."
#     alt: Was das Foto zeigt, für Screenreader.
#     rights: Honorarfrei zur Berichterstattung.

# The text, in Markdown. Keep it indented under `body: |`.
body: |
  Der erste Absatz sagt das Wichtigste: wer, was, wann, wo.

  ## Eine Zwischenüberschrift

  Weitere Absätze mit **fett**, *kursiv* und
  [Links](https://www.dortmund.de).

  - eine Liste
  - mit zwei Punkten
"""


def release_template(
    *, today: dt.date | None = None, name: str = defaults.TEMPLATE_NAME, number: int | None = None
) -> str:
    """The template's text, dated ``today`` (default: the current date), with ``number``
    (without one, a commented-out line says where it goes)."""
    date = (today or dt.date.today()).isoformat()
    number_line = (
        '# number: 1                 # running release number, printed "1."'
        if number is None
        else f'number: {number:<18}# running number within the year, printed "{number}."'
    )
    return _TEMPLATE.format(date=date, name=name, number_line=number_line)


def next_number_for(path: Path, *, today: dt.date, first: int | None = None) -> int:
    """The number a new release at ``path`` gets: the highest of ``today``'s year among the
    releases in its folder (and below) + 1. An invalid file counts with the date and number
    it has, if those are readable. Without any of this year: ``first``, else the
    ``first_number`` of the letterhead of the folder's newest release (or the default one)."""
    from ..newsroom.catalogue import read_entries
    from ..newsroom.numbering import next_number
    from .batch import find_releases

    folder = path.parent
    found = find_releases([folder]) if folder.is_dir() else []
    entries = read_entries(found)
    claimed = [entry.year_and_number for entry in entries]
    if first is None:
        first = _letterhead_first_number(entries)
    return next_number(claimed, year=today.year, first=first)


def _letterhead_first_number(entries: Sequence[Entry]) -> int:
    from ..errors import MedieninfoError
    from ..model.letterhead import load_letterhead, resolve_letterhead
    from ..render import letterhead_for

    for entry in entries:  # newest first: the office's current letterhead
        if entry.release is not None:
            try:
                return letterhead_for(entry.release).first_number
            except MedieninfoError:
                break
    return load_letterhead(resolve_letterhead(None, base=Path.cwd())).first_number


def write_template(path: Path, *, today: dt.date | None = None, number: int | None = None) -> None:
    """Write the template to ``path``; never overwrites an existing file."""
    text = release_template(today=today, name=path.name, number=number)
    try:
        # A newsroom keeps a folder per year: `new releases/2027/x.yaml` starts one.
        path.parent.mkdir(parents=True, exist_ok=True)
        # Mode "x" makes the existence check and the creation one step: no race, no overwrite.
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; choose another name") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
