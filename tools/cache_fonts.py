#!/usr/bin/env python3
"""Store ReportLab's parsed tables of the shipped fonts, so a cold render need not parse them.

Writes ``src/medieninfo/data/fonts/<sha256 of the font>.pickle`` for every font in
``assets/fonts/``, and removes stale files. Re-run it after changing a font or upgrading
ReportLab (the stored tables name the ReportLab version they were made with, and the
library ignores them under any other; ``tests/test_fonts.py`` says when they are stale).

Usage::

    python tools/cache_fonts.py
"""

from __future__ import annotations

import sys
from hashlib import sha256
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402

from medieninfo.pdf.fonts import CACHE, store_tables, tables_of  # noqa: E402


def main() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for font_path in sorted((ROOT / "assets" / "fonts").glob("*.ttf")):
        data = font_path.read_bytes()
        target = CACHE / f"{sha256(data).hexdigest()}.pickle"
        tables = tables_of(TTFont(font_path.stem, str(font_path)).face)
        target.write_bytes(store_tables(font_path.name, tables))
        wanted.add(target)
        print(f"{font_path.name} -> {target.relative_to(ROOT)} ({target.stat().st_size:,} bytes)")
    for stale in (set(CACHE.glob("*.pickle")) | set(CACHE.glob("*.pickle.z"))) - wanted:
        stale.unlink()
        print(f"removed {stale.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
