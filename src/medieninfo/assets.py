"""Where the files that ship with medieninfo are: fonts, logos, built-in letterheads.

In a wheel, ``assets/`` is packaged inside ``medieninfo/``; in a source checkout (and an
editable install) it is the repository's top-level ``assets/`` folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def assets_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "assets"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "assets"


def builtin_letterheads() -> dict[str, Path]:
    """Built-in letterheads by name."""
    folder = assets_dir() / "letterheads"
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


DEFAULT_FONTS = {
    "regular": "NotoSans-Regular.ttf",
    "bold": "NotoSans-Bold.ttf",
    "italic": "NotoSans-Italic.ttf",
    "bold_italic": "NotoSans-BoldItalic.ttf",
}
