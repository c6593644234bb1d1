"""The words medieninfo prints itself, and dates and times, in the release's language.

``Kontakt:``, ``Sperrfrist:``, ``Seite 1 von 2`` and the date ``11.6.2026`` are German; a
release with ``lang: en-GB`` gets ``Contact:``, ``Embargo:``, ``Page 1 of 2`` and
``11 June 2026``, ``fr-*`` ``Contact :``, ``Embargo :``, ``Page 1 sur 2``, ``11 juin 2026``.
Other languages fall back to German, the built-in letterhead's language.

Each label is a template with named placeholders (:data:`PLACEHOLDERS`). A letterhead may
override any of them per language in its ``labels:`` section (checked in
:mod:`medieninfo.model.letterhead`)::

    labels:
      de:
        contact: "Ansprechpartnerin: {contact}"
      en:
        page: "{page}/{pages}"
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping

__all__ = ["PLACEHOLDERS", "Labels", "labels_for", "placeholder_problem"]

#: The placeholders each label may use.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "contact": frozenset({"contact"}),
    "embargo": frozenset({"date", "time"}),
    "page": frozenset({"page", "pages"}),
    "date": frozenset({"day", "month", "month_name", "year"}),
    "time": frozenset({"hour", "minute"}),
}

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
}

_BUILT_IN: dict[str, dict[str, str]] = {
    "de": {
        "contact": "Kontakt: {contact}",
        "embargo": "Sperrfrist: {date}, {time}",
        "page": "Seite {page} von {pages}",
        "date": "{day}.{month}.{year}",
        "time": "{hour}:{minute} Uhr",
    },
    "en": {
        "contact": "Contact: {contact}",
        "embargo": "Embargo: {date}, {time}",
        "page": "Page {page} of {pages}",
        "date": "{day} {month_name} {year}",
        "time": "{hour}:{minute}",
    },
    "en-us": {
        "date": "{month_name} {day}, {year}",
    },
    # French puts a no-break space before the colon.
    "fr": {
        "contact": "Contact\u00a0: {contact}",
        "embargo": "Embargo\u00a0: {date}, {time}",
        "page": "Page {page} sur {pages}",
        "date": "{day} {month_name} {year}",
        "time": "{hour}\u00a0h\u00a0{minute}",
    },
}


def placeholder_problem(key: str, template: str) -> str | None:
    """Why ``template`` cannot be the label ``key``, or None."""
    allowed = PLACEHOLDERS[key]
    try:
        fields = [
            name for _, name, spec, conv in string.Formatter().parse(template) if name is not None
        ]
    except ValueError as exc:
        return f"{exc}; write a literal brace as {{{{ or }}}}"
    for name in fields:
        if name not in allowed:
            names = ", ".join("{" + n + "}" for n in sorted(allowed))
            return f"unknown placeholder {{{name}}}; {key} may use {names}"
    return None


def _keys(lang: str) -> tuple[str, str]:
    subtags = lang.strip().replace("_", "-").lower().split("-")
    primary = subtags[0] if subtags and subtags[0] in ("de", "en", "fr") else "de"
    region = subtags[1] if len(subtags) > 1 else ""
    return primary, f"{primary}-{region}" if region else primary


class Labels:
    """The labels of one language, letterhead overrides applied."""

    def __init__(self, templates: Mapping[str, str], months: list[str]) -> None:
        self.templates = dict(templates)
        self.months = months

    def date(self, value: dt.date) -> str:
        return self.templates["date"].format(
            day=value.day,
            month=value.month,
            month_name=self.months[value.month - 1],
            year=value.year,
        )

    def time(self, hour: int, minute: int) -> str:
        return self.templates["time"].format(hour=hour, minute=f"{minute:02d}")

    def contact(self, contact: str) -> str:
        return self.templates["contact"].format(contact=contact)

    def embargo(self, moment: dt.datetime) -> str:
        return self.templates["embargo"].format(
            date=self.date(moment), time=self.time(moment.hour, moment.minute)
        )

    def page(self, page: int, pages: int) -> str:
        return self.templates["page"].format(page=page, pages=pages)


def labels_for(lang: str, overrides: Mapping[str, Mapping[str, str]] | None = None) -> Labels:
    """The labels for a BCP 47 tag; ``overrides`` by language ("en" or "en-gb") as the
    letterhead gives them, the more specific tag winning."""
    primary, full = _keys(lang)
    templates = dict(_BUILT_IN["de"])
    templates.update(_BUILT_IN.get(primary, {}))
    templates.update(_BUILT_IN.get(full, {}))
    for key in (primary, full):
        templates.update((overrides or {}).get(key, {}))
    return Labels(templates, _MONTHS[primary].split())
