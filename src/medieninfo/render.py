"""The pipeline: release file → validated release → blocks → flowables → PDF bytes → file.

This is the library's entry point; the CLI calls :func:`render_file` (or
:func:`render_release` for standard input) and turns :class:`~medieninfo.errors.MedieninfoError`
into messages. Nothing here prints.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .content import Block
from .errors import InputError
from .letterhead import Letterhead, load_letterhead, resolve_letterhead
from .release import Release, load_release
from .report import Finding, LayoutRecorder


@dataclass(frozen=True)
class Rendered:
    """A finished PDF and what the caller may want to know about it."""

    pdf: bytes
    pages: int
    release: Release
    letterhead: Letterhead
    #: What a proofreader would say about the layout (see :mod:`medieninfo.report`).
    findings: tuple[Finding, ...] = ()


def letterhead_for(release: Release, override: str | Path | None = None) -> Letterhead:
    """The letterhead a release asks for; ``override`` (from the command line) wins."""
    if override is not None:
        return load_letterhead(resolve_letterhead(str(override), base=Path.cwd()))
    return load_letterhead(resolve_letterhead(release.letterhead, base=release.folder))


def render_release(release: Release, letterhead: Letterhead) -> Rendered:
    """Lay out and draw one release; returns the PDF bytes."""
    from . import pages
    from .content import parse_body
    from .fonts import register_family
    from .glyphs import check as check_glyphs
    from .hyphenation import hyphenator_for
    from .layout import build_story, make_styles
    from .pages import PageLimitExceeded, ReleaseDocument, canvas_class
    from .refinement import refine_blocks, refine_release
    from .sandbox import lock_down
    from .tagging import new_document

    lock_down()  # before ReportLab reads a font or an image: it must never fetch a URL
    names = register_family(letterhead.fonts)
    release = refine_release(release)
    blocks = refine_blocks(
        parse_body(release.body, first_line=release.body_line or 1, source=release.source),
        lang=release.lang,
        enabled=release.typography,
    )
    coverage = check_glyphs(
        release, letterhead, main_font=names.regular, texts=_drawn_texts(release, blocks)
    )
    hyphenator = hyphenator_for(release.lang, exceptions=letterhead.hyphenation_exceptions)
    styles = make_styles(
        letterhead,
        names,
        hyphenator=hyphenator.preferred_pairs if hyphenator else None,
        fallback=coverage.fallback,
    )
    structure = new_document()  # PDF/UA structure tree, filled in while drawing
    story = build_story(release, blocks, letterhead, styles, structure)
    buffer = io.BytesIO()
    document = ReleaseDocument(
        buffer, letterhead=letterhead, names=names, title=release.headline, lang=release.lang
    )
    recorder = LayoutRecorder()
    recorder.attach(document)
    try:
        document.build(
            story,
            canvasmaker=canvas_class(letterhead, names, release.date, structure, release.lang),
        )
    except PageLimitExceeded:
        # Not str(exc): ReportLab prefixes exceptions from its handlers with its own notes.
        raise InputError.single(
            release.source,
            f"body: the release runs to more than {pages.MAX_PAGES} pages; "
            "split it into shorter releases",
            release.body_line,
        ) from None
    findings = recorder.findings(headline=release.headline, pages=document.page)
    return Rendered(buffer.getvalue(), document.page, release, letterhead, tuple(findings))


def _drawn_texts(release: Release, blocks: list[Block]) -> dict[str, str]:
    """The text that will be drawn, by field, for the glyph check.

    Each body block stands on its own source line, so a problem points at the block's line.
    """
    from .content import Heading, ListBlock, Paragraph

    first = release.body_line or 1
    lines: dict[int, list[str]] = {}

    def collect(block: Block) -> None:
        if isinstance(block, ListBlock):
            for item in block.items:
                for inner in item:
                    collect(inner)
        elif isinstance(block, Paragraph | Heading):
            text = "".join(span.text for span in block.spans).replace("\n", " ")
            lines.setdefault(max((block.line or first) - first, 0), []).append(text)

    for block in blocks:
        collect(block)
    body = "\n".join(" ".join(lines.get(n, ())) for n in range(max(lines, default=0) + 1))
    texts = {"headline": release.headline, "body": body}
    for field in ("subtitle", "contact"):
        if value := getattr(release, field):
            texts[field] = value
    return texts


def default_output(source: Path) -> Path:
    return source.with_suffix(".pdf")


def render_file(
    source: Path | str, *, output: Path | str | None = None, letterhead: str | Path | None = None
) -> tuple[Path, Rendered]:
    """Render ``source`` to ``output`` (default: beside it, ``.pdf``), written atomically."""
    from .output import check_target, write_atomically

    source = Path(source)
    target = Path(output) if output is not None else default_output(source)
    check_target(target, inputs=(source,))
    release = load_release(source)
    rendered = render_release(release, letterhead_for(release, letterhead))
    check_target(target, inputs=(source, rendered.letterhead.source))
    write_atomically(rendered.pdf, target)
    return target, rendered
