"""The pipeline: release file → validated release → text model → outputs → files.

This is the library's entry point: :func:`render_file` runs the whole pipeline for one
release (every command goes through it), :func:`render_outputs` the part from a validated
release to the bytes of each output format, :func:`render_release` to the PDF alone.

One text model, :class:`~medieninfo.text.release_text.ReleaseText` (:func:`compose`), feeds
every output: the PDF (``pdf/``, ReportLab), the web page (``html/``, Jinja2), the plain text
(``plain/``) and the e-mail draft (``mail/``, which carries the other three). Each stage is
imported only when its format is asked for, so ``--to txt`` never loads ReportLab or Jinja2.
Errors are :class:`~medieninfo.errors.MedieninfoError`; the CLI turns them into messages.
Nothing here prints.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, OutputError
from .model.content import Block, Figure
from .model.letterhead import Letterhead, cached_letterhead, resolve_letterhead
from .model.release import Release, load_release, parse_release
from .output import SUFFIXES
from .text.release_text import ReleaseText

if TYPE_CHECKING:
    from .output import PendingWrite
    from .pdf.fonts import FontNames
    from .pdf.glyphs import Coverage
    from .pdf.report import Finding

#: The output formats, in the order ``--to`` lists them in its help.
FORMATS = ("pdf", "html", "txt", "eml")


@dataclass(frozen=True)
class Rendered:
    """A finished release: its PDF and every other output asked for."""

    #: The PDF (empty when neither pdf nor eml was asked for; then ``pages`` is 0).
    pdf: bytes
    pages: int
    release: Release
    letterhead: Letterhead
    #: What a proofreader would say about the layout (see :mod:`medieninfo.report`).
    findings: tuple[Finding, ...] = ()
    #: Each format asked for, by name (see :data:`FORMATS`), in the order asked.
    outputs: Mapping[str, bytes] = field(default_factory=dict)


def parse_formats(spec: str) -> tuple[str, ...]:
    """``"pdf,html"`` → ``("pdf", "html")``; raises ValueError naming a format we lack."""
    formats: list[str] = []
    for name in (part.strip().lower() for part in spec.split(",")):
        if name not in FORMATS:
            raise ValueError(
                f"unknown format {name!r}; --to takes {', '.join(FORMATS)}, comma-separated"
            )
        if name not in formats:
            formats.append(name)
    return tuple(formats)


def output_paths(target: Path, formats: Sequence[str]) -> dict[str, Path]:
    """Where each format goes: one format to ``target`` as given; several beside each other,
    ``target`` with each format's suffix (``753.pdf`` → ``753.html``, ``753.txt`` …)."""
    if len(formats) == 1:
        return {formats[0]: target}
    return {fmt: target.with_suffix(SUFFIXES[fmt]) for fmt in formats}


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
    """The letterhead a release asks for, loaded (once per version of its files, see
    :func:`~medieninfo.model.letterhead.cached_letterhead`); ``override`` (command line)
    wins."""
    return cached_letterhead(letterhead_path(release, override))


def dependencies(source: Path) -> tuple[Path, ...]:
    """Every file the PDF of the release ``source`` is made from: the release itself, its
    letterhead, the letterhead's fonts and logo, and its photos (for up-to-date checks and
    ``watch``).

    Raises MedieninfoError when the release or its letterhead cannot be read.
    """
    from .model.figures import photo_files

    release = load_release(source)
    return (source, *letterhead_for(release).files, *photo_files(release))


@dataclass(frozen=True)
class Prepared:
    """A release ready for layout: text refined, body parsed, every glyph found."""

    release: Release
    letterhead: Letterhead
    blocks: list[Block]
    names: FontNames
    coverage: Coverage


def compose(release: Release, letterhead: Letterhead) -> ReleaseText:
    """The text model every output reads: body parsed, photos checked and filled in
    (:mod:`.model.figures`), fields and body refined. Raises InputError for Markdown nested
    too deeply and for photos that are missing, unreadable or without alt text or credit."""
    from .model.content import parse_body
    from .model.words import check_word_lengths
    from .text.refinement import refine_blocks, refine_release

    # First, and in linear time: a word too long to lay out would cost later stages dearly.
    check_word_lengths(release)
    release = refine_release(release)
    blocks = parse_body(
        release.body,
        first_line=release.body_line or 1,
        source=release.source,
        first_column=release.body_column,
    )
    if release.photos or "![" in release.body:
        from .model.figures import resolve

        blocks = resolve(release, blocks)
    blocks = refine_blocks(blocks, lang=release.lang, enabled=release.typography)
    return ReleaseText(release, letterhead, tuple(blocks))


def prepare(release: Release, letterhead: Letterhead) -> Prepared:
    """Everything before the PDF's layout. Raises InputError for what only these stages
    find (a character no font has, Markdown nested too deeply); ``check`` stops here."""
    return _prepare_pdf(compose(release, letterhead))


def _prepare_pdf(text: ReleaseText) -> Prepared:
    from .pdf import patches
    from .pdf.fonts import register_family
    from .pdf.glyphs import check as check_glyphs

    # Before ReportLab reads a font or an image: it must never fetch a URL.
    patches.apply()
    release, letterhead, blocks = text.release, text.letterhead, list(text.blocks)
    names = register_family(letterhead.fonts)
    coverage = check_glyphs(
        release, letterhead, main_font=names.regular, texts=_drawn_texts(release, blocks)
    )
    return Prepared(release, letterhead, blocks, names, coverage)


def render_release(release: Release, letterhead: Letterhead) -> Rendered:
    """Lay out and draw one release; returns the PDF bytes."""
    return _render_pdf(prepare(release, letterhead))


def render_outputs(
    release: Release,
    letterhead: Letterhead,
    formats: Sequence[str] = ("pdf",),
    *,
    name: str = "medieninformation",
) -> Rendered:
    """Every format in ``formats`` (see :data:`FORMATS`) from one text model, in memory.

    ``name`` is the file name (without suffix) the e-mail draft gives its PDF attachment.
    The PDF is laid out only for ``pdf`` and ``eml``, the page made only for ``html`` and
    ``eml``: each format pays for its own stages only.
    """
    text = compose(release, letterhead)
    wanted = set(formats)
    pdf = _render_pdf(_prepare_pdf(text)) if wanted & {"pdf", "eml"} else None
    made: dict[str, bytes] = {}
    html = plain = ""
    if wanted & {"html", "eml"}:
        from .html import to_html

        html = to_html(text)
        made["html"] = html.encode("utf-8")
    if wanted & {"txt", "eml"}:
        from .plain import to_plain

        plain = to_plain(text)
        made["txt"] = plain.encode("utf-8")
    if pdf is not None:
        made["pdf"] = pdf.pdf
    if "eml" in wanted:
        from .mail import to_eml

        made["eml"] = to_eml(text, plain=plain, html=html, pdf=made["pdf"], name=name)
    outputs = {fmt: made[fmt] for fmt in formats}
    if pdf is None:
        return Rendered(b"", 0, text.release, letterhead, outputs=outputs)
    return Rendered(pdf.pdf, pdf.pages, pdf.release, letterhead, pdf.findings, outputs=outputs)


def _render_pdf(prepared: Prepared) -> Rendered:
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
    from .pdf.report import LayoutRecorder
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
    if any(isinstance(block, Figure) for block in prepared.blocks):
        from .pdf.figure import float_figures

        document.float_figures = float_figures
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
    pdf = buffer.getvalue()
    return Rendered(pdf, document.page, release, letterhead, tuple(findings), outputs={"pdf": pdf})


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

    figures: list[str] = []
    last = first + release.body.count("\n")
    for block in blocks:
        collect(block)
        if isinstance(block, Figure):
            from .model.photo import credit_line

            drawn = " ".join(filter(None, [block.caption, credit_line(block, release.lang)]))
            if block.line is not None and first <= block.line <= last:
                # A photo named in the body: its caption is reported at that line.
                lines.setdefault(block.line - first, []).append(drawn)
            else:
                figures.append(drawn)
    body = "\n".join(" ".join(lines.get(n, ())) for n in range(max(lines, default=0) + 1))
    texts = {"headline": release.headline, "body": body}
    if figures:
        texts["photos"] = "\n".join(figures)
    for name in ("subtitle", "contact"):
        if value := getattr(release, name):
            texts[name] = value
    return texts


def render_file(
    target: Path | None,
    *,
    source: Path | None = None,
    data: bytes | None = None,
    fmt: str | None = None,
    letterhead: str | Path | None = None,
    depends: list[Path] | None = None,
    formats: Sequence[str] = ("pdf",),
) -> Rendered:
    """The whole pipeline for one release, the one every command uses.

    Reads ``source``, or ``data`` (standard input, shown as ``<stdin>``, paths relative to the
    current folder) when ``source`` is None; renders each of ``formats``; and writes them
    atomically, to ``target`` for one format, beside it for several (see
    :func:`output_paths`); None: only return them. Everything is rendered before anything is
    written, so a release that fails leaves no new file. Never overwrites the input or the
    letterhead, nor a file of another kind. ``depends`` receives the files the outputs depend
    on as they become known, so a caller can watch them even after a failure.
    """
    from .output import write_pending

    rendered, pending = render_unwritten(
        target,
        source=source,
        data=data,
        fmt=fmt,
        letterhead=letterhead,
        depends=depends,
        formats=formats,
    )
    write_pending(pending)
    return rendered


def render_unwritten(
    target: Path | None,
    *,
    source: Path | None = None,
    data: bytes | None = None,
    fmt: str | None = None,
    letterhead: str | Path | None = None,
    depends: list[Path] | None = None,
    formats: Sequence[str] = ("pdf",),
) -> tuple[Rendered, PendingWrite]:
    """:func:`render_file` up to the writing: the outputs, checked against their targets,
    and what :func:`medieninfo.output.write_pending` is to write (and record). A batch
    worker renders this way and its parent writes, so that no worker waits for a disk."""
    from . import CREATOR
    from .output import PendingWrite, check_target, describe, stamp

    inputs = (source,) if source is not None else ()
    # Each input's stamp, taken before it is read: recorded beside each output (is_current).
    stamps: dict[Path, tuple[int, int] | None] = {}

    def take(paths: tuple[Path, ...]) -> None:
        for path in paths:
            stamps.setdefault(path, stamp(path))

    take(inputs)
    targets = output_paths(target, formats) if target is not None else {}
    for kind, path in targets.items():
        try:
            check_target(path, inputs=inputs, kind=kind)
        except OSError as exc:  # a path too long, a file where a folder should be
            raise OutputError(describe(path, exc)) from None
    if source is None:
        release = parse_release(data or b"", name="<stdin>", folder=Path.cwd(), fmt=fmt or "yaml")
    else:
        release = load_release(source, fmt=fmt)
    photos: tuple[Path, ...] = ()
    if release.photos or "![" in release.body:
        from .model.figures import photo_files

        photos = photo_files(release)
        take(photos)
    path = letterhead_path(release, letterhead)
    if depends is not None:
        depends[:] = [*inputs, path]
    take((path,))
    chosen = cached_letterhead(path)
    if depends is not None:
        depends[:] = [*inputs, *chosen.files]
    take(chosen.files)
    name = (target or source or Path("medieninformation")).stem
    if target is None and source is None and release.number is not None:
        name = f"medieninformation-{release.number}"
    rendered = render_outputs(release, chosen, formats, name=name)
    for kind, path in targets.items():
        try:
            check_target(path, inputs=(*inputs, chosen.source), kind=kind)
        except OSError as exc:
            raise OutputError(describe(path, exc)) from None
    files = (*inputs, *chosen.files, *photos)
    marks = [(file, stamps[file]) for file in files]
    # Only a release from a file, with every input stamped, can be found up to date.
    recorded = source is not None and letterhead is None and all(m for _f, m in marks)
    pending = PendingWrite(
        files=tuple((kind, path, rendered.outputs[kind]) for kind, path in targets.items()),
        creator=CREATOR,
        record=tuple((f, m) for f, m in marks if m) if recorded else None,
    )
    return rendered, pending
