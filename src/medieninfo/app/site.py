"""``medieninfo site`` and ``medieninfo feed``: a folder of releases published as a website.

The site holds every published release (valid, its Sperrfrist passed) as web page and PDF at
its path below the folder, made by :func:`~medieninfo.app.batch.render_batch` (so, like
``render``, only what is out of date), an ``index.html`` and the Atom feed ``feed.xml``. A
release still under embargo is not rendered, and its page and PDF are removed from the site
if an earlier run published them (a Sperrfrist added after the fact); so are the pages and
PDFs of releases no longer in the folder, if medieninfo made them (their generator says so:
nothing else in the site's folder is touched). Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import MedieninfoError
from ..model.letterhead import Letterhead
from ..newsroom.catalogue import Entry, read_entries
from .batch import Outcome, find_releases, plan, render_batch

#: What the site writes of each release (the page first: its path is the task's target).
SITE_FORMATS = ("html", "pdf")
INDEX_NAME = "index.html"


@dataclass
class SiteResult:
    """What a run of ``site`` did."""

    outcomes: list[Outcome] = field(default_factory=list)
    #: Pages and PDFs taken down because their release is under embargo again.
    removed: list[Path] = field(default_factory=list)
    #: Pages and PDFs of releases no longer in the folder.
    orphans: list[Path] = field(default_factory=list)
    published: list[Entry] = field(default_factory=list)
    index: Path | None = None
    feed: Path | None = None

    @property
    def failed(self) -> int:
        return sum(outcome.status == "failed" for outcome in self.outcomes)


def newsroom_title(organisation: str) -> str:
    return f"{organisation} – Pressemitteilungen"


def published_entries(folder: Path, *, now: dt.datetime) -> tuple[list[Entry], list[Entry]]:
    """The folder's releases, newest first: those published at ``now``, and all of them."""
    entries = read_entries(find_releases([folder]))
    return [entry for entry in entries if entry.published(now)], entries


def feed_bytes(
    entries: Sequence[Entry], *, base_url: str, now: dt.datetime, title: str | None = None
) -> bytes:
    """The Atom feed of ``entries`` (published, newest first)."""
    from ..newsroom.feed import atom_feed

    organisation = _letterhead(entries).organisation
    return atom_feed(
        entries,
        base_url=base_url,
        title=title or newsroom_title(organisation),
        author=organisation,
        updated=now,
    )


def build_site(
    folder: Path,
    *,
    out_dir: Path,
    base_url: str,
    now: dt.datetime,
    force: bool = False,
    workers: int | None = None,
    timeout: float | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> SiteResult:
    """Render, take down and index: see the module's docstring. An invalid release is a
    failed outcome and stays off the index."""
    from ..newsroom.feed import FEED_NAME, check_base_url
    from ..newsroom.index import index_page

    check_base_url(base_url)
    result = SiteResult()
    published, entries = published_entries(folder, now=now)
    for entry in entries:
        if not entry.valid:
            outcome = Outcome(
                entry.source,
                out_dir / entry.page(".html"),
                "failed",
                messages=tuple(map(str, entry.problems)),
            )
            result.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
        elif not entry.published(now):
            result.removed.extend(_take_down(out_dir, entry))
    result.orphans = _remove_orphans(out_dir, entries)
    wanted = {_key(entry.source) for entry in published}
    tasks = [
        t for t in plan([folder], out_dir=out_dir, formats=SITE_FORMATS) if _key(t.source) in wanted
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = render_batch(
        tasks, force=force, workers=workers, timeout=timeout, on_outcome=on_outcome
    )
    result.outcomes.extend(summary.outcomes)
    done = {_key(o.source) for o in summary.outcomes if o.status != "failed"}
    result.published = [entry for entry in published if _key(entry.source) in done]
    letterhead = _letterhead(result.published)
    title = newsroom_title(letterhead.organisation)
    page = index_page(result.published, letterhead=letterhead, title=title)
    result.index = _write_if_changed(page.encode("utf-8"), out_dir / INDEX_NAME, kind="html")
    feed = feed_bytes(result.published, base_url=base_url, now=now, title=title)
    result.feed = _write_if_changed(feed, out_dir / FEED_NAME, kind="feed")
    return result


def _key(path: Path) -> str:
    return os.path.abspath(path)


def _letterhead(entries: Sequence[Entry]) -> Letterhead:
    """The newest release's letterhead (the office's current one), else the default."""
    from ..model.letterhead import load_letterhead, resolve_letterhead
    from ..render import letterhead_for

    for entry in entries:
        if entry.release is not None:
            try:
                return letterhead_for(entry.release)
            except MedieninfoError:
                continue
    return load_letterhead(resolve_letterhead(None, base=Path.cwd()))


def _take_down(out_dir: Path, entry: Entry) -> list[Path]:
    """Remove the page and PDF of a release under embargo; only regular files, never a
    symlink's target."""
    removed = []
    for fmt in SITE_FORMATS:
        path = out_dir / entry.page(f".{fmt}")
        if path.is_file() and not path.is_symlink():
            path.unlink()
            _drop_record(path)
            removed.append(path)
    return removed


def _drop_record(path: Path) -> None:
    """Remove the record of what a removed output was made from (see output.is_current)."""
    import contextlib

    from ..output import record_path

    record = record_path(path)
    if not record.is_symlink():
        with contextlib.suppress(OSError):
            record.unlink()


def _remove_orphans(out_dir: Path, entries: Sequence[Entry]) -> list[Path]:
    """Remove pages and PDFs below ``out_dir`` that no release of the folder (valid or not)
    would write and that medieninfo made (any version); returns them."""
    from .batch import made_by

    if not out_dir.is_dir():
        return []
    known = {entry.page(f".{fmt}") for entry in entries for fmt in SITE_FORMATS}
    removed = []
    for current, folders, files in os.walk(out_dir):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(current, name)
            fmt = path.suffix.lower().lstrip(".")
            relative = PurePosixPath(path.relative_to(out_dir).as_posix())
            if fmt not in SITE_FORMATS or relative in known or str(relative) == INDEX_NAME:
                continue
            if path.is_symlink() or not path.is_file():
                continue
            if (made_by(path, fmt) or "").startswith("medieninfo "):
                path.unlink()
                _drop_record(path)
                removed.append(path)
    return removed


def _write_if_changed(data: bytes, target: Path, *, kind: str) -> Path:
    """Write atomically unless the file already holds these bytes (keeps its time, so a
    web server's caches and ``rsync`` see nothing new)."""
    from ..output import write_atomically

    try:
        if target.is_file() and target.read_bytes() == data:
            return target
    except OSError:
        pass
    write_atomically(data, target, kind=kind)
    return target
