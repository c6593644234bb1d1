"""Model stage: refuse a word too long to lay out, before any later stage spends time on it.

A "word" is a run of characters without breakable white space (a no-break space joins
words, so it does not end one). A press release has no word of thousands of characters;
one that long is a pasted blob, a URL repeated without spaces or a test of the tool, and it
cannot be set sensibly: it would run over pages as one unbreakable unit, and ReportLab
re-breaks a paragraph that it cannot cut at a space once per page (see
:data:`~medieninfo.model.content.CHUNK_CHARS`), so its cost grows with the square of the
word. The limit is checked on the text as typed, Markdown included, in one linear pass.
"""

from __future__ import annotations

import re

from ..errors import InputError, Problem
from .release import Release

#: The longest word laid out, in characters: about one and a half pages of the text column
#: (a page holds ~3,400 characters), several times the longest real URL (browsers and
#: servers stop at 2,000 to 8,000), and short enough that one word costs well under a second.
MAX_WORD_CHARS = 5_000

#: A word that starts at a word start and is longer than the limit. The look-behind anchors
#: each attempt at the start of a word, so the scan is linear in the text.
_TOO_LONG = re.compile(rf"(?<![^ \t\r\n])[^ \t\r\n]{{{MAX_WORD_CHARS + 1}}}")
_WORD = re.compile(r"[^ \t\r\n]*")


def check_word_lengths(release: Release) -> None:
    """Raise InputError naming every field (and the body's line) with a word over the limit."""
    problems = []
    for field in ("headline", "subtitle", "contact", "body"):
        text = getattr(release, field) or ""
        match = _TOO_LONG.search(text)
        if match is None:
            continue
        word = _WORD.match(text, match.start())
        assert word is not None
        length = word.end() - word.start()
        line = release.lines.get(field)
        if field == "body" and release.body_line:
            line = release.body_line + text.count("\n", 0, match.start())
        preview = text[match.start() : match.start() + 20]
        problems.append(
            Problem(
                release.source,
                f"{field}: a word of {length:,} characters without a space ({preview!r}…); "
                f"words of at most {MAX_WORD_CHARS:,} characters can be laid out, "
                "so add spaces or shorten it",
                line,
            )
        )
    if problems:
        raise InputError(problems)
