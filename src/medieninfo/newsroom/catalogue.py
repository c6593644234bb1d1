"""The releases of a folder as entries: validated fields, where each one's outputs go, and
whether it may be published at a given time.

Reading a folder costs one parse of each file (a fraction of a millisecond for a release of
normal length, see ``benchmarks/newsroom.py``); nothing is laid out or drawn.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from ..errors import InputError, MedieninfoError, Problem
from ..model.letterhead import Letterhead
from ..model.release import Release, load_release

#: The Sperrfrist is typed as the press office's wall-clock time; this is its zone (all
#: built-in letterheads are German). Dates in the feed carry this zone's offset.
TIMEZONE = "Europe/Berlin"


@dataclass(frozen=True)
class Entry:
    """One release file of the folder: its release if valid, else its problems."""

    source: Path
    #: The file's path below the folder it was found in (its own name for a named file):
    #: the site and the feed put its page at this path, with ``.html`` and ``.pdf``.
    relative: PurePosixPath
    release: Release | None
    problems: tuple[Problem, ...] = ()
    #: For an invalid file, its ``date`` and ``number`` if those two fields alone are
    #: readable: its number stays taken (``new`` never hands it out again).
    header: tuple[dt.date | None, int | None] = (None, None)

    @property
    def valid(self) -> bool:
        return self.release is not None

    @property
    def year_and_number(self) -> tuple[int | None, int | None]:
        """The year and number the file claims, valid or not."""
        if self.release is not None:
            return self.release.date.year, self.release.number
        day, number = self.header
        return (day.year if day else None), number

    def page(self, suffix: str) -> PurePosixPath:
        """Where this release's output with ``suffix`` lies in the site (``2022/753.html``)."""
        return self.relative.with_suffix(suffix)

    def published(self, now: dt.datetime) -> bool:
        """True if the release is valid and its Sperrfrist (if any) has passed at ``now``."""
        return self.release is not None and not embargoed(self.release, now)


def embargoed(release: Release, now: dt.datetime) -> bool:
    """True while the Sperrfrist of ``release`` has not passed (``now`` is wall-clock time)."""
    return release.embargo is not None and release.embargo > now


def read_entries(found: Iterable[tuple[Path, Path | None]]) -> list[Entry]:
    """Each release file (with the folder it was found under, as ``find_releases`` gives
    them) read and validated, newest first: by date, then number, then file name."""
    entries = [_entry(source, root) for source, root in found]
    return sort_newest_first(entries)


def sort_newest_first(entries: Sequence[Entry]) -> list[Entry]:
    """Valid entries newest first (date, number, path, all descending), invalid ones last."""

    def key(entry: Entry) -> tuple[bool, dt.date, int, str]:
        release = entry.release
        if release is None:
            return (False, dt.date.min, -1, str(entry.relative))
        number = release.number if release.number is not None else -1
        return (True, release.date, number, str(entry.relative))

    valid = sorted((e for e in entries if e.valid), key=key, reverse=True)
    return valid + sorted((e for e in entries if not e.valid), key=lambda e: str(e.relative))


def _entry(source: Path, root: Path | None) -> Entry:
    relative = PurePosixPath(source.relative_to(root).as_posix() if root else source.name)
    try:
        release = load_release(source)
        _check_letterhead(release)
    except InputError as exc:
        return Entry(source, relative, None, tuple(exc.problems), _header(source))
    except MedieninfoError as exc:
        return Entry(source, relative, None, (Problem(str(source), str(exc)),), _header(source))
    return Entry(source, relative, release)


def _header(source: Path) -> tuple[dt.date | None, int | None]:
    """``date`` and ``number`` of a file that is not a valid release, each if readable."""
    from ..model import fields
    from ..model.source import read_document

    try:
        children = read_document(source).root.children
    except MedieninfoError:
        return None, None
    assert isinstance(children, dict)  # read_document guarantees a mapping
    found: list[object] = []
    for key, convert in (("date", fields.date), ("number", fields.whole_number)):
        try:
            found.append(convert(children[key]) if key in children else None)
        except (fields.FieldError, TypeError, ValueError):
            found.append(None)
    day, number = found
    return (day if isinstance(day, dt.date) else None), (
        number if isinstance(number, int) else None
    )


def _check_letterhead(release: Release) -> None:
    from ..render import letterhead_path

    letterhead_files(letterhead_path(release))


def letterhead_files(path: Path) -> tuple[Path, ...]:
    """The files a letterhead consists of (itself, logo, fonts). Raises MedieninfoError if
    it cannot be read."""
    return letterhead_at(path).files


def letterhead_at(path: Path) -> Letterhead:
    """The letterhead file ``path``, loaded once per version of the file: a folder of
    releases usually shares one letterhead, and loading it (with its logo's check) costs
    more than reading a release. Keyed by the file's time and size, so an edited
    letterhead is read again in a long-lived process."""
    try:
        info = os.stat(path)
    except OSError:
        info = None
    stamp = (info.st_mtime_ns, info.st_size) if info else None
    return _load_letterhead(path, stamp)


@cache
def _load_letterhead(path: Path, _stamp: tuple[int, int] | None) -> Letterhead:
    from ..model.letterhead import load_letterhead

    return load_letterhead(path)


def now_here() -> dt.datetime:
    """The current wall-clock time in :data:`TIMEZONE`, without zone (as a Sperrfrist)."""
    return dt.datetime.now(zone()).replace(tzinfo=None)


def zone() -> dt.tzinfo:
    """:data:`TIMEZONE` (from the system's zone files, else the ``tzdata`` package). Never
    a silent UTC: a Sperrfrist read an hour off would publish a release too early."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(TIMEZONE)
