"""``medieninfo list``: one row per release, newest first, from the files and their headers.

For each output format a row says whether its file is ``up to date`` (newer than the release
and every file of its letterhead, and made by this version), ``stale`` or ``missing`` — the
same rule ``render`` uses to skip a release. Nothing is laid out, no font parsed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import CREATOR
from ..errors import MedieninfoError
from ..output import SUFFIXES
from .catalogue import Entry, embargoed, letterhead_files

UP_TO_DATE, STALE, MISSING = "up to date", "stale", "missing"

#: Reads which medieninfo version wrote an output file (``app.batch.made_by``).
MadeBy = Callable[[Path, str], str | None]


@dataclass(frozen=True)
class Row:
    """What ``list`` shows of one release."""

    file: str
    valid: bool
    errors: tuple[str, ...]
    date: dt.date | None = None
    number: int | None = None
    headline: str | None = None
    embargo: dt.datetime | None = None
    #: None without a Sperrfrist.
    embargo_passed: bool | None = None
    #: Each format: :data:`UP_TO_DATE`, :data:`STALE` or :data:`MISSING`.
    outputs: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "date": self.date.isoformat() if self.date else None,
            "number": self.number,
            "headline": self.headline,
            "embargo": self.embargo.isoformat(timespec="minutes") if self.embargo else None,
            "embargo_passed": self.embargo_passed,
            "outputs": dict(self.outputs),
            "valid": self.valid,
            "errors": list(self.errors),
        }


def rows(
    entries: Sequence[Entry],
    *,
    now: dt.datetime,
    formats: Sequence[str],
    made_by: MadeBy,
    out_dir: Path | None = None,
) -> list[Row]:
    """A :class:`Row` for each entry, in the entries' order. Outputs are looked for beside
    each release, or under ``out_dir`` at the release's path below its folder."""
    made: list[Row] = []
    for entry in entries:
        release = entry.release
        outputs = tuple(
            (fmt, _status(entry, _target(entry, out_dir, fmt), fmt, made_by)) for fmt in formats
        )
        if release is None:
            made.append(
                Row(str(entry.source), False, tuple(map(str, entry.problems)), outputs=outputs)
            )
            continue
        made.append(
            Row(
                str(entry.source),
                True,
                (),
                date=release.date,
                number=release.number,
                headline=release.headline,
                embargo=release.embargo,
                embargo_passed=None if release.embargo is None else not embargoed(release, now),
                outputs=outputs,
            )
        )
    return made


def _target(entry: Entry, out_dir: Path | None, fmt: str) -> Path:
    if out_dir is None:
        return entry.source.with_suffix(SUFFIXES[fmt])
    return out_dir / entry.page(SUFFIXES[fmt])


def _status(entry: Entry, target: Path, fmt: str, made_by: MadeBy) -> str:
    made = _mtime(target)
    if made is None:
        return MISSING
    inputs: tuple[Path, ...] = (entry.source,)
    if entry.release is not None:
        from ..render import letterhead_path

        try:
            inputs = (entry.source, *letterhead_files(letterhead_path(entry.release)))
        except MedieninfoError:
            return STALE
    stamps = [_mtime(path) for path in inputs]
    if any(stamp is None or stamp >= made for stamp in stamps):
        return STALE
    return UP_TO_DATE if made_by(target, fmt) == CREATOR else STALE


def _mtime(path: Path) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None
