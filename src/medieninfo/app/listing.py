"""How ``medieninfo list`` shows its rows: a Rich table on a terminal, CSV for scripts.

The rows come from :mod:`medieninfo.newsroom.listing`; ``--json`` is printed by the CLI.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from ..newsroom.listing import MISSING, STALE, UP_TO_DATE, Row
from ..text.release_text import format_date, format_embargo

#: Short cell texts for the table; CSV and JSON carry the full words.
_MARKS = {UP_TO_DATE: "ok", STALE: "stale", MISSING: "–"}


def _embargo(row: Row) -> str:
    if row.embargo is None:
        return ""
    return f"{format_embargo(row.embargo)} ({'passed' if row.embargo_passed else 'not yet'})"


def print_table(rows: Sequence[Row], formats: Sequence[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("No.", justify="right", no_wrap=True)
    table.add_column("Headline", ratio=1)
    table.add_column("Sperrfrist")
    for fmt in formats:
        table.add_column(fmt, no_wrap=True)
    table.add_column("Valid")
    for row in rows:
        marks = [_MARKS[status] for _, status in row.outputs]
        if row.valid:
            table.add_row(
                format_date(row.date) if row.date else "",
                str(row.number) if row.number is not None else "",
                row.headline or "",
                _embargo(row),
                *marks,
                "yes",
            )
        else:
            table.add_row("", "", row.file, "", *marks, "no: " + "; ".join(row.errors))
    # markup and highlighting off: a headline is text, never Rich markup.
    Console(highlight=False).print(table, markup=False)


def write_csv(rows: Sequence[Row], formats: Sequence[str], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(
        [
            "file",
            "date",
            "number",
            "headline",
            "embargo",
            "embargo_passed",
            *formats,
            "valid",
            "errors",
        ]
    )
    for row in rows:
        data = row.as_dict()
        writer.writerow(
            [
                data["file"],
                data["date"] or "",
                "" if data["number"] is None else data["number"],
                data["headline"] or "",
                data["embargo"] or "",
                "" if data["embargo_passed"] is None else str(data["embargo_passed"]).lower(),
                *(data["outputs"][fmt] for fmt in formats),
                str(row.valid).lower(),
                "; ".join(row.errors),
            ]
        )
