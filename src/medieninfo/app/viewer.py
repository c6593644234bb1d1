"""After the PDF: PNG previews of its pages (``render --preview``) and the desktop viewer
(``render --open``).

Previews use pypdfium2, an optional extra (``pip install 'medieninfo[preview]'``): a
rasteriser is a large binary most users never need. The viewer is whatever the desktop
opens PDFs with (``xdg-open`` on Linux, ``open`` on macOS, the file association on Windows).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import MedieninfoError

#: 150 dpi: sharp enough for a newsletter or a social post, small enough to mail.
PREVIEW_DPI = 150


def write_previews(pdf: Path, *, dpi: int = PREVIEW_DPI) -> list[Path]:
    """Write ``name-1.png``, ``name-2.png``, … beside ``pdf``; returns their paths."""
    try:
        import pypdfium2
    except ImportError:
        raise MedieninfoError(
            "--preview needs the 'preview' extra: pip install 'medieninfo[preview]'"
        ) from None
    written = []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil()
            target = pdf.with_name(f"{pdf.stem}-{index + 1}.png")
            image.save(target, format="PNG")
            written.append(target)
            page.close()
    except OSError as exc:
        raise MedieninfoError(f"{pdf}: cannot write preview: {exc.strerror or exc}") from None
    finally:
        document.close()
    return written


def open_in_viewer(pdf: Path) -> None:
    """Open ``pdf`` in the desktop's PDF viewer without waiting for it."""
    if sys.platform == "win32":
        os.startfile(pdf)  # type: ignore[attr-defined]  # Windows only
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        raise MedieninfoError(
            f"{pdf}: cannot open it: no '{opener}' found (no desktop viewer here?)"
        )
    # Detached, output discarded: the viewer outlives us and must not write into our output.
    subprocess.Popen(
        [opener, str(pdf)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
