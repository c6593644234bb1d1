"""medieninfo: typeset press releases into letterhead PDFs.

The library is the product; the CLI in :mod:`medieninfo.cli` is a thin layer on top.
Import cost matters (a cold render is what users feel), so this module imports nothing
heavy: the public functions load their stages on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"
#: The PDF's /Creator. A batch reads it back to tell whether a PDF was made by this version.
CREATOR = f"medieninfo {__version__}"
