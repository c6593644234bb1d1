"""Model stage: a release's figures, joined from its body and its ``photos`` list, checked.

:func:`resolve` gives each ``![alt](file)`` of the body its entry of the ``photos`` list (by
the file it names), adds the entries the body does not name after the body, checks every
file (:func:`.photofile.read_photo`) and fills each :class:`~.content.Figure` from the
release first and the file's IPTC/XMP metadata second. A photo is a file in the release's
folder or below it: ``../``, absolute paths and symlinks that lead elsewhere are refused,
like a letterhead's logo, and an address (``https://…``) is never fetched.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem
from .photo import PhotoEntry
from .photofile import Photo, read_photo

if TYPE_CHECKING:
    from .content import Block, Figure
    from .release import Release

#: Photos in one release, and their bytes together: the PDF is built in memory.
MAX_PHOTOS = 20
MAX_TOTAL_BYTES = 100 * 1024 * 1024
#: A caption is a sentence or two; a page of text under a photo would not fit beside it.
MAX_CAPTION_CHARS = 1000

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def resolve(release: Release, blocks: list[Block]) -> list[Block]:
    """Check every photo of a release and fill in its figures; the ``photos`` entries the
    body does not name are added after the body. Raises one InputError listing every
    problem, each at the line and column of the photo's name."""
    from .content import Figure

    entries = release.photos
    if not entries and not _has_figure(blocks):
        return blocks
    source = release.source
    problems: list[Problem] = []
    by_path: dict[Path, PhotoEntry] = {}
    for entry in entries:
        path = _locate(entry.file, release.folder, problems, source, entry.line, entry.column)
        if path is not None:
            by_path.setdefault(path, entry)
    checked: dict[Path, Photo | None] = {}
    used: set[Path] = set()

    def fill(figure: Figure, entry: PhotoEntry | None, path: Path) -> Figure:
        if path not in checked:
            checked[path] = _check(path, figure, problems, source, release.lang)
        photo = checked[path]
        if photo is None:
            return figure
        decorative = bool(entry.decorative) if entry and entry.decorative is not None else False
        filled = replace(
            figure,
            alt=figure.alt or (entry.alt if entry else None) or photo.alt or "",
            caption=(entry.caption if entry else None) or figure.caption or photo.caption,
            credit=(entry.credit if entry else None) or figure.credit or photo.credit,
            rights=(entry.rights if entry else None) or figure.rights or photo.rights,
            decorative=decorative,
            photo=photo,
        )
        _complete(filled, problems, source)
        return filled

    def walk(items: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in items:
            if isinstance(block, Figure):
                path = _locate(
                    block.src, release.folder, problems, source, block.line, block.column
                )
                if path is not None:
                    used.add(path)
                    block = fill(block, by_path.get(path), path)
            out.append(block)
        return out

    result = walk(list(blocks))
    for path, entry in by_path.items():
        if path not in used:
            figure = Figure(entry.file, line=entry.line, column=entry.column)
            result.append(fill(figure, entry, path))
    figures = [block for block in result if isinstance(block, Figure)]
    if len(figures) > MAX_PHOTOS:
        extra = figures[MAX_PHOTOS]
        problems.append(
            Problem(
                source,
                f"more than {MAX_PHOTOS} photos; a press release links to a gallery instead",
                extra.line,
                extra.column,
            )
        )
    total = sum(len(photo.data) for photo in checked.values() if photo is not None)
    if total > MAX_TOTAL_BYTES:
        problems.append(
            Problem(
                source,
                f"photos: together larger than {MAX_TOTAL_BYTES // 2**20} MB; use smaller files",
                release.lines.get("photos"),
            )
        )
    if problems:
        raise InputError(problems)
    return result


def _has_figure(blocks: list[Block]) -> bool:
    from .content import Figure

    return any(isinstance(block, Figure) for block in blocks)


def photo_files(release: Release) -> tuple[Path, ...]:
    """The photo files a release names (for up-to-date checks and ``watch``), without
    checking them; a name that leads outside the folder is left out."""
    names = [entry.file for entry in release.photos]
    if "![" in release.body:
        from .content import Figure, parse_body

        try:
            blocks = parse_body(release.body)
        except InputError:
            blocks = []
        names += [block.src for block in blocks if isinstance(block, Figure)]
    found: list[Path] = []
    for name in names:
        path = _locate(name, release.folder, [], release.source, None, None)
        if path is not None and path not in found:
            found.append(path)
    return tuple(found)


def _locate(
    name: str,
    folder: Path,
    problems: list[Problem],
    source: str,
    line: int | None,
    column: int | None,
) -> Path | None:
    """The photo's path inside the release's folder, or None and a problem."""

    def refuse(message: str) -> None:
        problems.append(Problem(source, message, line, column))

    if not name.strip():
        refuse("a photo needs a file name: ![what it shows](foto.jpg)")
        return None
    if _URL.match(name) and not re.match(r"^[A-Za-z]:[\\/]", name):
        refuse(
            f"photo '{name}' is an address, not a file; medieninfo fetches nothing from the "
            "network: save the photo next to the release"
        )
        return None
    try:
        path = (folder / name).resolve()
        inside = path.is_relative_to(folder.resolve())
    except (OSError, ValueError, RuntimeError) as exc:
        refuse(f"photo '{name}' cannot be found ({exc})")
        return None
    if not inside:
        refuse(f"photo '{name}' is outside the release's folder; put the photo next to the release")
        return None
    if not path.exists():
        refuse(f"photo '{name}' not found next to the release")
        return None
    if not path.is_file():
        refuse(f"photo '{name}' is not a regular file")
        return None
    return path


def _check(
    path: Path, figure: Figure, problems: list[Problem], source: str, lang: str
) -> Photo | None:
    try:
        return read_photo(path, lang=lang)
    except ValueError as exc:
        problems.append(Problem(source, f"photo '{figure.src}': {exc}", figure.line, figure.column))
        return None


def _complete(figure: Figure, problems: list[Problem], source: str) -> None:
    """What a figure must have once release and file have had their say."""

    def refuse(message: str) -> None:
        problems.append(
            Problem(source, f"photo '{figure.src}': {message}", figure.line, figure.column)
        )

    if not figure.alt and not figure.decorative:
        refuse(
            "no alternative text (PDF/UA needs one for every photo): write what it shows, as "
            "![text](file) or alt: in photos; decorative: true if it shows nothing a reader "
            "needs"
        )
    if not figure.credit:
        refuse(
            "no credit: say who took it with credit: in photos (printed 'Foto: ...'), or write "
            "it into the file's IPTC Credit or Creator"
        )
    if figure.caption and len(figure.caption) > MAX_CAPTION_CHARS:
        refuse(f"the caption has {len(figure.caption)} characters; at most {MAX_CAPTION_CHARS}")
