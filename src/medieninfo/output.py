"""Write stage: put a finished output (PDF, web page, text, e-mail draft) on disk atomically.

The bytes go to a temporary file in the target's folder, are flushed to disk, and only then
renamed over the target. A crash, a kill, a full disk or a file-size limit therefore leaves
either the previous file or the complete new one, never a truncated file. A kill can leave a
temporary file behind; the next write into that folder removes those older than
:data:`STALE_AFTER` seconds (younger ones may belong to a render still running).
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError

_TEMP_PREFIX = ".medieninfo-"
_TEMP_SUFFIX = ".tmp"
#: What each format is called in messages, and the suffix its files are expected to have.
NAMES = {"pdf": "PDF", "html": "HTML", "txt": "text", "eml": "e-mail draft", "feed": "Atom feed"}
SUFFIXES = {"pdf": ".pdf", "html": ".html", "txt": ".txt", "eml": ".eml", "feed": ".xml"}
#: Age in seconds after which a leftover temporary file is taken to be from a killed run.
STALE_AFTER = 15 * 60


def check_target(target: Path, *, inputs: tuple[Path, ...] = (), kind: str = "pdf") -> None:
    """Refuse a target that would overwrite an input file, or a file that is not of its
    kind (a target without the kind's suffix may replace only a PDF, for ``-o`` of a PDF)."""
    # By stat (the same file: device and inode, through links and hard links) and by name
    # (for an input that does not exist yet), not by resolving every path from `/`: a batch
    # checks each target twice.
    existing = _stat(target)
    for source in inputs:
        if os.path.abspath(target) == os.path.abspath(source) or (
            existing is not None
            and (found := _stat(source)) is not None
            and (found.st_dev, found.st_ino) == (existing.st_dev, existing.st_ino)
        ):
            raise OutputError(f"{target}: refusing to overwrite the input file; choose another -o")
    if (
        target.suffix.lower() != SUFFIXES[kind]
        and existing is not None
        and not (kind == "pdf" and _looks_like_pdf(target))
    ):
        what = "a PDF" if kind == "pdf" else f"a {SUFFIXES[kind]} file"
        raise OutputError(
            f"{target}: exists and is not {what}; refusing to overwrite it, choose another -o"
        )


def _stat(path: Path) -> os.stat_result | None:
    """``path``'s stat, or None where :meth:`Path.exists` says False (no such file, a file
    in the way, a loop of links); other errors (a name too long) are raised, as there."""
    import errno

    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise
    except ValueError:  # a NUL in the name
        return None


def prepare_folder(target: Path) -> None:
    """Create the target's folder (for ``--out-dir``); a reason, not an OSError, if it cannot
    be: a file where a folder should be, a read-only file system, a name too long."""
    import errno

    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next(
            (p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder
        )
        raise OutputError(
            f"{target}: '{blocker}' is a file, not a folder; choose another --out-dir or -o"
        ) from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise OutputError(f"{target}: the path is too long; choose a shorter -o") from None
        raise OutputError(
            f"{target}: cannot create the folder '{folder}': {exc.strerror or exc}"
        ) from None


def describe(target: Path, exc: OSError) -> str:
    """A message for an OSError about ``target`` that no more specific check caught."""
    import errno

    if exc.errno == errno.ENAMETOOLONG:
        return f"{target}: the path is too long; choose a shorter -o"
    if exc.errno == errno.ENOTDIR:
        return f"{target}: a part of the path is a file, not a folder; choose another -o"
    return f"{target}: cannot write there: {exc.strerror or exc}"


def _looks_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def write_atomically(
    data: bytes, target: Path, *, kind: str = "pdf", clean_folder: bool = True
) -> None:
    """Write ``data`` (of the format ``kind``, see :data:`NAMES`) to ``target`` atomically;
    first, unless ``clean_folder`` is False, remove the folder's stale temporary files (see
    :func:`write_pending` for who may skip that)."""
    name = NAMES[kind]
    if kind == "pdf" and (not data.startswith(b"%PDF-") or b"%%EOF" not in data[-32:]):
        raise OutputError(f"{target}: internal error, the PDF is incomplete; nothing written")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: folder '{folder}' does not exist")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name ending in {SUFFIXES[kind]}")
    if clean_folder:
        remove_stale_temporaries(folder)
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=_TEMP_PREFIX, suffix=f".{kind}{_TEMP_SUFFIX}", dir=folder
        )
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in '{folder}': {exc.strerror}") from None
    temp = Path(temp_name)
    try:
        with _file_size_limit_as_error(), os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if temp.stat().st_size != len(data):
            raise OutputError(f"{target}: short write; nothing replaced")
        os.chmod(temp, 0o644)
        os.replace(temp, target)
        _sync_folder(folder)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write {name}: {exc.strerror or exc}; the previous file is unchanged"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


@dataclass(frozen=True)
class PendingWrite:
    """Finished outputs and where they go, not yet on disk (see
    :func:`medieninfo.render.render_unwritten`): small and picklable, so a batch worker can
    hand them to its parent to write."""

    #: Each output as (format, target, bytes), in the order written.
    files: tuple[tuple[str, Path, bytes], ...]
    #: The medieninfo version recorded beside each output.
    creator: str
    #: The inputs and their stamps to record beside each output; None: no record (standard
    #: input, a letterhead from the command line, an input that could not be stamped).
    record: tuple[tuple[Path, Stamp], ...] | None = None


def write_pending(pending: PendingWrite, *, cleaned: set[Path] | None = None) -> None:
    """Write every output of ``pending`` atomically (:func:`write_atomically`), each
    followed by its record; raises OutputError at the first that cannot be written.

    ``cleaned``, shared by the writes of one batch, holds the folders whose stale temporary
    files were already looked for: each folder is listed once per batch, not once per
    file, which made a batch into one folder quadratic in its size (a folder of 100
    releases holds 300 files; 0.3 ms of the parent's 1.2 ms per file)."""
    for kind, target, data in pending.files:
        prepare_folder(target)
        fresh = cleaned is None or target.parent not in cleaned
        write_atomically(data, target, kind=kind, clean_folder=fresh)
        if cleaned is not None:
            cleaned.add(target.parent)
        if pending.record is not None:
            write_record(target, creator=pending.creator, inputs=list(pending.record))


def remove_stale_temporaries(folder: Path, *, older_than: float = STALE_AFTER) -> list[Path]:
    """Delete our own leftover temporary files in ``folder``; returns what was removed."""
    removed = []
    deadline = time.time() - older_than
    with contextlib.suppress(OSError):
        for path in folder.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}"):
            if path.name.removesuffix(_TEMP_SUFFIX).rsplit(".", 1)[-1] not in NAMES:
                continue  # not one of ours
            with contextlib.suppress(OSError):
                info = path.lstat()
                # Only plain files we could have written; never follow a planted symlink.
                if path.is_symlink() or not path.is_file() or info.st_mtime > deadline:
                    continue
                path.unlink()
                removed.append(path)
    return removed


@contextlib.contextmanager
def _file_size_limit_as_error() -> Iterator[None]:
    """Under ``ulimit -f`` the kernel kills a writer with SIGXFSZ; ignored, it gets EFBIG."""
    try:
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    except (ValueError, AttributeError):  # not the main thread, or no such signal here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGXFSZ, previous)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- what it was made from

#: A file's state as ``stat`` gives it: modification time in nanoseconds and size.
Stamp = tuple[int, int]


def stamp(path: Path) -> Stamp | None:
    """``path``'s modification time (ns) and size, or None when it cannot be read."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size


def record_path(target: Path) -> Path:
    """Where the record of what ``target`` was made from is kept: a hidden file beside it
    (folder scans skip hidden files), so the PDF's bytes stay those of its inputs alone."""
    return target.with_name(f".{target.name}.medieninfo")


def write_record(target: Path, *, creator: str, inputs: list[tuple[Path, Stamp]]) -> None:
    """Record that ``target``, as it is now on disk, was made by ``creator`` from ``inputs``
    as they were stamped *before* the render read them: a save during the render changes a
    stamp after it was taken, so the next check sees it. Best effort: without a record the
    output is simply rendered again next time.

    A few lines of text rather than JSON, which a render would import only for this: the
    creator, the output's own stamp, then one line per input, its path relative to the
    record's folder (a record published with its output, ``site``, names no server paths)
    in hexadecimal bytes, so that no file name can break a line."""
    made = stamp(target)
    if made is None:
        return
    base = os.path.abspath(target.parent)
    lines = [_RECORD_MAGIC, creator.replace("\n", " "), f"{made[0]} {made[1]}"]
    for path, (mtime, size) in inputs:
        name = os.fsencode(os.path.relpath(os.path.abspath(path), base)).hex()
        lines.append(f"{mtime} {size} {name}")
    record = record_path(target)
    temp = record.with_name(record.name + ".tmp")
    try:
        temp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(temp, record)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        with contextlib.suppress(OSError):
            record.unlink()


#: The first line of a record; another (an older format) means "render again".
_RECORD_MAGIC = "medieninfo record 2"


def is_current(target: Path, *, source: Path, creator: str) -> bool:
    """True if ``target`` is the output its record says, made by ``creator`` from ``source``
    (first) and further inputs that all still carry the stamps recorded. Any doubt: False."""
    try:
        magic, made_by, own, *rest = record_path(target).read_text(encoding="utf-8").splitlines()
        if magic != _RECORD_MAGIC or made_by != creator:
            return False
        mtime, size = own.split()
        made = (int(mtime), int(size))
        base = os.path.abspath(target.parent)
        inputs = []
        for line in rest:
            mtime, size, name = line.split()
            path = os.path.normpath(os.path.join(base, os.fsdecode(bytes.fromhex(name))))
            inputs.append((path, (int(mtime), int(size))))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    if not inputs or inputs[0][0] != os.path.abspath(source) or stamp(target) != made:
        return False
    return all(stamp(Path(path)) == mark for path, mark in inputs)
