"""Write stage: put finished PDF bytes on disk atomically.

The bytes go to a temporary file in the target's folder, are flushed to disk, and only then
renamed over the target. A crash, a kill, a full disk or a file-size limit therefore leaves
either the previous PDF or the complete new one, never a truncated file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

_TEMP_PREFIX = ".medieninfo-"
_TEMP_SUFFIX = ".pdf.tmp"


def check_target(target: Path, *, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse a target that would overwrite an input file."""
    for source in inputs:
        if target.resolve() == source.resolve() or (
            target.exists() and source.exists() and os.path.samefile(target, source)
        ):
            raise OutputError(f"{target}: refusing to overwrite the input file; choose another -o")
    if target.suffix.lower() != ".pdf" and target.exists() and not _looks_like_pdf(target):
        raise OutputError(
            f"{target}: exists and is not a PDF; refusing to overwrite it, choose another -o"
        )


def _looks_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def write_atomically(data: bytes, target: Path) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-32:]:
        raise OutputError(f"{target}: internal error, the PDF is incomplete; nothing written")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: folder '{folder}' does not exist")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name ending in .pdf")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write in '{folder}': {exc.strerror}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if temp.stat().st_size != len(data):
            raise OutputError(f"{target}: short write; nothing replaced")
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write PDF: {exc.strerror or exc}; the previous file is unchanged"
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
