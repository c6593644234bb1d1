"""Layout stage: corrections to ReportLab's line breaking and output, applied once on import.

ReportLab treats U+202F NARROW NO-BREAK SPACE as a place to break a line and then drops it,
which would let ``z. B.`` or ``12 000`` fall apart at a line end and lose the narrow space
from the PDF's text. German typography relies on that character, so paragraph splitting here
breaks only at breakable white space.

ReportLab's hyphenation strips punctuation around a word before asking the hyphenator, but
it does not know German closing quotes (“ ‘) or guillemets, so ``Klima“`` would never be
hyphenated; the patterns are widened to include them.
"""

from __future__ import annotations

import re

_done = False


def apply() -> None:
    global _done
    if _done:
        return
    from reportlab.platypus import paragraph

    breakable = paragraph._wsc.replace("\u202f", "")
    split_re = re.compile(f"[{re.escape(breakable)}]+").split

    def split(text: str | bytes, delim: str | bytes | None = None) -> list[str]:
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if isinstance(delim, bytes):
            delim = delim.decode("utf8")
        if delim is not None:
            return text.split(delim)
        words = split_re(text)
        # ReportLab's own split keeps the empty ends only when the text has a U+00A0.
        return words if "\xa0" in text else [word for word in words if word]

    paragraph.split = split
    paragraph._hy_pfx_pat = re.compile("^['\"([{\xbf\u2018\u201a\u201c\u201e\xab\xbb\u2039\u203a]+")
    paragraph._hy_sfx_pat = re.compile(
        "[]'\")}?!.,;:\u2018\u2019\u201b\u201c\u201d\u201f\xab\xbb\u2039\u203a]+$"
    )
    # Streams stay binary: ASCII85 only made them a quarter larger and cost time to encode.
    from reportlab import rl_config

    rl_config.useA85 = 0
    _done = True
