"""``medieninfo new``: a commented release file to start from, dated today.

The template renders as it is, so a new user sees a PDF before reading any documentation;
every optional field is there, commented out, with a line saying what it does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import OutputError
from . import defaults

_TEMPLATE = """\
# A press release for medieninfo. Render it with: medieninfo render {name}
# Check it without rendering:                   medieninfo check {name}
# Editors validate and complete this file with the schema from `medieninfo schema`
# (see the README: "Scripts and folders").

date: {date}                # release date; also 28.4.2022
# number: 1                 # running release number, printed "1."
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


def release_template(*, today: dt.date | None = None, name: str = defaults.TEMPLATE_NAME) -> str:
    """The template's text, dated ``today`` (default: the current date)."""
    date = (today or dt.date.today()).isoformat()
    return _TEMPLATE.format(date=date, name=name)


def write_template(path: Path, *, today: dt.date | None = None) -> None:
    """Write the template to ``path``; never overwrites an existing file."""
    text = release_template(today=today, name=path.name)
    try:
        # Mode "x" makes the existence check and the creation one step: no race, no overwrite.
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; choose another name") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
