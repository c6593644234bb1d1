"""The pipeline: release file → validated release → blocks → flowables → PDF bytes → file.

This is the library's entry point: :func:`render_file` runs the whole pipeline for one
release (every command goes through it), :func:`render_release` the part from a validated
release to PDF bytes. Errors are :class:`~medieninfo.errors.MedieninfoError`; the CLI turns
them into messages. Nothing here prints.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, OutputError
from .model.content import Block
from .model.letterhead import Letterhead, load_letterhead, resolve_letterhead
from .model.release import Release, load_release, parse_release
from .pdf.report import Finding, LayoutRecorder

if TYPE_CHECKING:
    from .pdf.fonts import FontNames
    from .pdf.glyphs import Coverage


@dataclass(frozen=True)
class Rendered:
    """A finished PDF and what the caller may want to know about it."""

    pdf: bytes
    pages: int
    release: Release
    letterhead: Letterhead
    #: What a proofreader would say about the layout (see :mod:`medieninfo.report`).
    findings: tuple[Finding, ...] = ()


def letterhead_path(release: Release, override: str | Path | None = None) -> Path:
    """The letterhead file a release asks for; ``override`` (from the command line) wins.

    A bad ``letterhead:`` value is reported at its line in the release.
    """
    if override is not None:
        try:
            return resolve_letterhead(str(override), base=Path.cwd())
        except InputError as exc:
            raise InputError.single("--letterhead", exc.problems[0].message) from None
    try:
        return resolve_letterhead(release.letterhead, base=release.folder)
    except InputError as exc:
        raise InputError.single(
            release.source,
            f"letterhead: {exc.problems[0].message}",
            release.lines.get("letterhead"),
        ) from None


def letterhead_for(release: Release, override: str | Path | None = None) -> Letterhead:
    """The letterhead a release asks for, loaded; ``override`` (command line) wins."""
    return load_letterhead(letterhead_path(release, override))


def dependencies(source: Path) -> tuple[Path, ...]:
    """Every file the PDF of the release ``source`` is made from: the release itself, its
    letterhead and the letterhead's fonts and logo (for up-to-date checks and ``watch``).

    Raises MedieninfoError when the release or its letterhead cannot be read.
    """
    return (source, *letterhead_for(load_release(source)).files)


@dataclass(frozen=True)
class Prepared:
    """A release ready for layout: text refined, body parsed, every glyph found."""

    release: Release
    letterhead: Letterhead
    blocks: list[Block]
    names: FontNames
    coverage: Coverage


def prepare(release: Release, letterhead: Letterhead) -> Prepared:
    """Everything before layout. Raises InputError for what only these stages find (a
    character no font has, Markdown nested too deeply); ``check`` stops here."""
    from .model.content import parse_body
    from .model.words import check_word_lengths
    from .pdf import patches
    from .pdf.fonts import register_family
    from .pdf.glyphs import check as check_glyphs
    from .text.refinement import refine_blocks, refine_release

    # First, and in linear time: a word too long to lay out would cost later stages dearly.
    check_word_lengths(release)
    # Before ReportLab reads a font or an image: it must never fetch a URL.
    patches.apply()
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
    return Prepared(release, letterhead, blocks, names, coverage)


def render_release(release: Release, letterhead: Letterhead) -> Rendered:
    """Lay out and draw one release; returns the PDF bytes."""
    prepared = prepare(release, letterhead)
    rendered = _lay_out(prepared, tight=False)
    if rendered.pages > 1 and any(f.kind == "short last page" for f in rendered.findings):
        # A line or two alone on the last page: set paragraphs a little closer, and keep
        # that layout only if it saves the page (the report then has nothing to say).
        tighter = _lay_out(prepared, tight=True)
        if tighter.pages < rendered.pages:
            return tighter
    return rendered


def _lay_out(prepared: Prepared, *, tight: bool) -> Rendered:
    from .pdf import pages
    from .pdf.layout import build_story, make_styles
    from .pdf.pages import PageLimitExceeded, ReleaseDocument, canvas_class, layout_failure
    from .pdf.tagging import new_document
    from .text.hyphenation import hyphenator_for

    release, letterhead, names = prepared.release, prepared.letterhead, prepared.names
    hyphenator = hyphenator_for(release.lang, exceptions=letterhead.hyphenation_exceptions)
    styles = make_styles(
        letterhead,
        names,
        hyphenator=hyphenator.preferred_pairs if hyphenator else None,
        fallback=prepared.coverage.fallback,
        tight=tight,
    )
    structure = new_document()  # PDF/UA structure tree, filled in while drawing
    story = build_story(release, prepared.blocks, letterhead, styles, structure)
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
    except layout_failure():
        # ReportLab split a paragraph and could not place the first part: a limitation of
        # its splitting (see pages.layout_failure), reported as such rather than as a crash.
        raise InputError.single(
            release.source,
            "body: ReportLab could not fit a paragraph on its page; reflowing the text "
            "(a shorter paragraph, fewer very long words) avoids it. Please report the file",
            release.body_line,
        ) from None
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
    from .model.content import Heading, ListBlock, Paragraph

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


def render_file(
    target: Path | None,
    *,
    source: Path | None = None,
    data: bytes | None = None,
    fmt: str | None = None,
    letterhead: str | Path | None = None,
    depends: list[Path] | None = None,
) -> Rendered:
    """The whole pipeline for one release, the one every command uses.

    Reads ``source``, or ``data`` (standard input, shown as ``<stdin>``, paths relative to the
    current folder) when ``source`` is None; renders; and writes the PDF atomically to
    ``target`` (None: only return it). Never overwrites the input or the letterhead, and
    never a file that is not a PDF. ``depends`` receives the files the PDF depends on as
    they become known, so a caller can watch them even after a failure.
    """
    from . import CREATOR
    from .output import (
        check_target,
        describe,
        prepare_folder,
        stamp,
        write_atomically,
        write_record,
    )

    inputs = (source,) if source is not None else ()
    # Each input's stamp, taken before it is read: recorded beside the PDF (see is_current).
    stamps: dict[Path, tuple[int, int] | None] = {}

    def take(paths: tuple[Path, ...]) -> None:
        for path in paths:
            stamps.setdefault(path, stamp(path))

    take(inputs)
    if target is not None:
        try:
            check_target(target, inputs=inputs)
        except OSError as exc:  # a path too long, a file where a folder should be
            raise OutputError(describe(target, exc)) from None
    if source is None:
        release = parse_release(data or b"", name="<stdin>", folder=Path.cwd(), fmt=fmt or "yaml")
    else:
        release = load_release(source, fmt=fmt)
    path = letterhead_path(release, letterhead)
    if depends is not None:
        depends[:] = [*inputs, path]
    take((path,))
    chosen = load_letterhead(path)
    if depends is not None:
        depends[:] = [*inputs, *chosen.files]
    take(chosen.files)
    rendered = render_release(release, chosen)
    if target is not None:
        try:
            check_target(target, inputs=(*inputs, chosen.source))
        except OSError as exc:
            raise OutputError(describe(target, exc)) from None
        prepare_folder(target)
        write_atomically(rendered.pdf, target)
        files = (*inputs, *chosen.files)
        marks = [(file, stamps[file]) for file in files]
        # Only a release from a file, with every input stamped, can be found up to date.
        if source is not None and letterhead is None and all(m is not None for _f, m in marks):
            write_record(target, creator=CREATOR, inputs=[(f, m) for f, m in marks if m])
    return rendered
