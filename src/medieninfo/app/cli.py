"""The command line: parse options, call the library, turn its errors into messages.

Exit codes: 0 success; 1 an input was invalid or a PDF could not be written; 2 usage error
(unknown option, missing argument). Errors print as ``file:line:col: message`` on standard
error, never as a traceback. Rich is imported only where a terminal is shown something
richer than lines of text, so the plain render path stays fast.

A render is a short-lived process, and :func:`entry_point` (the ``medieninfo`` command)
treats it as one: the cyclic garbage collector is off unless the work is long (a folder,
``watch``, a very long release), and the process ends without Python's teardown. Both only
cost time here (how much: README, "Performance"): every file is written, closed and synced
before the end, and the exit handlers run.
"""

# No `from __future__ import annotations` here: Typer reads the annotations of every
# command on each run, and strings it would have to evaluate (eval, compile) first.
import atexit
import datetime as dt
import gc
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .. import __version__
from ..errors import InputError, MedieninfoError, Problem, internal_error
from . import defaults, deferred

if TYPE_CHECKING:
    from .batch import Outcome

STDIN = Path("-")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: A single release longer than this (bytes) renders with the cyclic collector on: ReportLab
#: builds reference cycles per line, and without collection memory would grow ~1.5 times.
COLLECT_ABOVE = 256 * 1024

# Options that render and watch share.
OutDirOption = Annotated[
    Path | None,
    typer.Option("--out-dir", help="Write the outputs here, keeping the inputs' folders."),
]
LetterheadOption = Annotated[
    str | None,
    typer.Option("--letterhead", "-l", help="Built-in letterhead name or letterhead file."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]
ToOption = Annotated[
    str,
    typer.Option(
        "--to",
        "-t",
        help="Formats to write, comma-separated: pdf, html (web page), txt (plain text), "
        "eml (e-mail draft with the PDF attached).",
    ),
]

app = typer.Typer(
    name="medieninfo",
    help="Typeset press releases (YAML or TOML with a Markdown body) into letterhead PDFs.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _error(message: str) -> None:
    from .quoting import printable

    # Standard error may be gone or full: then the exit status is all that is left to say it.
    # Quoted: a file name with a newline or an escape sequence must not forge a line.
    with suppress(OSError, ValueError, AttributeError):
        print(printable(message), file=sys.stderr)


def _report(exc: MedieninfoError) -> None:
    if isinstance(exc, InputError):
        for problem in exc.problems:
            _error(str(problem))
    else:
        _error(str(exc))


def _version(value: bool) -> None:
    if value:
        print(f"medieninfo {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Typeset press releases into letterhead PDFs."""


@app.command()
def render(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Release files (.yaml, .yml, .toml), folders, or - for stdin."),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the output (several formats: each with its own suffix); "
            "- for stdout.",
        ),
    ] = None,
    out_dir: OutDirOption = None,
    letterhead: LetterheadOption = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Format of standard input: yaml or toml.")
    ] = "yaml",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel renders; default: cores.")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Seconds per file before giving up; 0: none.")
    ] = defaults.TIMEOUT,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Render even PDFs that are up to date.")
    ] = False,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the finished PDF in the desktop viewer.")
    ] = False,
    preview: Annotated[
        bool, typer.Option("--preview", help="Also write PNG pages (needs the preview extra).")
    ] = False,
    quiet: QuietOption = False,
    report: Annotated[
        bool,
        typer.Option("--report", help="Print the layout report: widows, orphans, overfull lines…"),
    ] = False,
    to: ToOption = "pdf",
) -> None:
    """Render releases to PDF (or --to html,txt,eml), each beside its input unless -o or
    --out-dir is given.

    Folders are searched recursively (letterhead files are left out); outputs newer than
    their release and letterhead are skipped unless --force. With several formats, -o names
    them all: -o out/753.pdf --to pdf,html writes out/753.pdf and out/753.html.

    Example: medieninfo render examples/eu-mission.yaml -o /tmp/753.pdf

    Example: medieninfo render examples/eu-mission.yaml --to pdf,html,txt,eml

    Example: medieninfo render releases/ --out-dir pdf/ --jobs 4

    Example: cat release.yaml | medieninfo render - -o - > release.pdf
    """
    if fmt not in ("yaml", "toml"):
        _usage(f"--format must be yaml or toml, not {fmt!r}")
    if output is not None and out_dir is not None:
        _usage("give either -o/--output or --out-dir, not both")
    formats = _formats(to)
    if (open_ or preview) and "pdf" not in formats:
        _usage("--open and --preview show the PDF; add pdf to --to")
    if report and not {"pdf", "eml"} & set(formats):
        _usage("--report is about the PDF's layout; add pdf (or eml) to --to")
    stdin = STDIN in inputs
    if stdin or output is not None:
        if stdin and len(inputs) > 1:
            _usage("- (standard input) cannot be combined with other inputs")
        if not stdin and (len(inputs) > 1 or inputs[0].is_dir()):
            _usage("-o/--output takes one input file; use --out-dir for several")
        _render_one_to(
            None if stdin else inputs[0],
            output or "-",
            letterhead=letterhead,
            fmt=fmt if stdin else None,  # a file's format comes from its suffix
            quiet=quiet,
            open_=open_,
            preview=preview,
            report=report,
            timeout=timeout or None,
            formats=formats,
        )
    from .batch import plan, render_batch

    tasks = plan(inputs, out_dir=out_dir, formats=formats)
    if not tasks:
        _error("no release files found (*.yaml, *.yml, *.toml)")
        raise typer.Exit(EXIT_FAILED)
    _collect_if_long(files=len(tasks), size=_size(tasks[0].source))
    reporter = _Reporter(total=len(tasks), quiet=quiet, report=report)
    try:
        summary = render_batch(
            tasks,
            letterhead=letterhead,
            force=force,
            workers=jobs,
            timeout=timeout or None,
            on_outcome=reporter.outcome,
            on_tick=reporter.tick,
        )
    finally:
        reporter.close()
    if len(tasks) > 1 and not quiet:
        _error(
            f"{summary.rendered} rendered, {summary.skipped} skipped, "
            f"{summary.failed} failed in {summary.seconds:.1f} s"
        )
    finished = [_pdf_of(o.target, formats) for o in summary.outcomes if o.status != "failed"]
    failed = _after(finished, open_=open_, preview=preview, quiet=quiet)
    raise typer.Exit(EXIT_FAILED if summary.failed or failed else EXIT_OK)


def _formats(spec: str) -> tuple[str, ...]:
    from ..render import parse_formats

    try:
        return parse_formats(spec)
    except ValueError as exc:
        _usage(str(exc))


def _pdf_of(target: Path, formats: tuple[str, ...]) -> Path:
    """The PDF among a task's outputs (``target`` is the first format's file)."""
    from ..render import output_paths

    return output_paths(target, formats)["pdf"] if "pdf" in formats else target


def _written(targets: tuple[Path, ...] | list[Path], pages: int) -> str:
    """``a.pdf, a.html (2 pages)``: what a render wrote."""
    return ", ".join(map(str, targets)) + (f" ({_pages(pages)})" if pages else "")


def _size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0  # the render reports the file's problem in its own words


def _collect_if_long(*, files: int, size: int) -> None:
    """Turn the cyclic collector back on (see :func:`main`) for work longer than one release
    of normal length: batch workers inherit it."""
    if files > 1 or size > COLLECT_ABOVE:
        gc.enable()


def _usage(message: str) -> NoReturn:
    _error(f"usage error: {message}")
    raise typer.Exit(EXIT_USAGE)


def _render_one_to(
    source: Path | None,
    output: str,
    *,
    letterhead: str | None,
    fmt: str | None,
    quiet: bool,
    open_: bool,
    preview: bool,
    report: bool,
    timeout: float | None,
    formats: tuple[str, ...] = ("pdf",),
) -> NoReturn:
    """One release (a file, or standard input when ``source`` is None) to one place: the
    file given with -o (and, for several formats, the others beside it), or standard output
    for -o -."""
    from ..render import output_paths, render_file
    from .guard import guarded

    to_stdout = output == "-"
    if to_stdout and (open_ or preview):
        _usage("--open and --preview need a file; they do not work with -o -")
    if to_stdout and len(formats) != 1:
        _usage("standard output takes one format; give --to with one of them, or -o FILE")
    if to_stdout and formats[0] == "pdf" and sys.stdout is not None and sys.stdout.isatty():
        _usage("refusing to write PDF bytes to a terminal; redirect (> out.pdf) or pipe it")
    label = str(source) if source is not None else "<stdin>"
    target = None if to_stdout else Path(output)

    def work() -> Any:
        # Inside the time limit: a producer that stalls is stopped like a render.
        data = _read_stdin() if source is None else None
        _collect_if_long(files=1, size=len(data) if data is not None else _size(source))
        return render_file(
            target, source=source, data=data, fmt=fmt, letterhead=letterhead, formats=formats
        )

    rendered, messages = guarded(work, label=label, timeout=timeout)
    if rendered is None:
        for message in messages:
            _error(message)
        raise typer.Exit(EXIT_FAILED)
    if report:
        _print_findings(label, tuple(map(str, rendered.findings)))
    if target is None:
        _write_stdout(rendered.outputs[formats[0]])
        raise typer.Exit(EXIT_OK)
    written = list(output_paths(target, formats).values())
    if not quiet:
        _error(f"{label} -> {_written(written, rendered.pages)}")
    failed = _after([_pdf_of(target, formats)], open_=open_, preview=preview, quiet=quiet)
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


def _read_stdin() -> bytes:
    """A release from standard input: at most the size limit plus one byte is read (and so
    held), so ``yes |`` or a 1 GB pipe fail at 5 MB instead of filling the memory."""
    from ..model.source import MAX_BYTES, read_at_most

    stream = sys.stdin
    closed = InputError.single("<stdin>", "standard input is closed; pipe a release into it")
    if stream is None or stream.closed:
        raise closed
    try:
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        # A stream without a descriptor (a program calling main() with its own sys.stdin):
        # its buffer, as far as the limit.
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            raise closed from None
        data: bytes = buffer.read(MAX_BYTES + 1)
        return data
    try:
        return read_at_most(descriptor, MAX_BYTES + 1)
    except OSError as exc:
        raise InputError.single(
            "<stdin>", f"cannot read standard input: {exc.strerror or exc}"
        ) from None


def _write_stdout(pdf: bytes) -> None:
    """Write the PDF to standard output's descriptor, all of it or an error: a short write
    (a full disk, ``ulimit -f``; with ``PYTHONUNBUFFERED=1`` Python's own writer would
    return it silently) is never taken for success. Python ignores SIGXFSZ, so a file size
    limit arrives here as EFBIG."""
    stream = sys.stdout
    if stream is None or stream.closed:
        _error("<stdout>: standard output is closed; redirect it (> out.pdf) or use -o FILE")
        raise typer.Exit(EXIT_FAILED)
    try:
        stream.flush()
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        # A stream without a descriptor (a program calling main() with its own sys.stdout):
        # its buffer, which raises on a short write.
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            _error("<stdout>: standard output is closed; redirect it (> out.pdf) or use -o FILE")
            raise typer.Exit(EXIT_FAILED) from None
        buffer.write(pdf)
        buffer.flush()
        return
    view = memoryview(pdf)
    try:
        while view:
            written = os.write(descriptor, view)
            if written <= 0:
                raise OSError(0, "nothing could be written")
            view = view[written:]
    except BrokenPipeError:
        # `| head` closed the pipe: end quietly, and keep Python from complaining at exit.
        _silence_stdout()
        raise typer.Exit(EXIT_FAILED) from None
    except OSError as exc:
        done = len(pdf) - len(view)
        _error(
            f"<stdout>: cannot write the output ({exc.strerror or exc}) after {done:,} of "
            f"the PDF's {len(pdf):,} bytes; what was written is incomplete"
        )
        raise typer.Exit(EXIT_FAILED) from None


def _print_findings(source: Path | str, findings: tuple[str, ...]) -> None:
    """The layout report as warnings, ``file: page N: kind: message``; never an error."""
    if not findings:
        _error(f"{source}: layout report: nothing to remark")
    for finding in findings:
        _error(f"{source}: {finding}")


def _pages(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def _after(pdfs: list[Path], *, open_: bool, preview: bool, quiet: bool) -> int:
    """--preview and --open for the finished PDFs; returns how many failed."""
    if not (open_ or preview):
        return 0
    from .viewer import open_in_viewer, write_previews

    failed = 0
    for pdf in pdfs:
        try:
            if preview:
                images = write_previews(pdf)
                if not quiet:
                    _error(f"{pdf} -> {', '.join(str(image) for image in images)}")
            if open_:
                open_in_viewer(pdf)
        except MedieninfoError as exc:
            _error(str(exc))
            failed += 1
    return failed


class _Reporter:
    """Shows each finished file: a Rich progress bar on a terminal, plain lines elsewhere.

    Rich is imported only for the bar (a fifth of a cold start otherwise); it honours
    NO_COLOR by itself. Failures always print, --quiet leaves only them.
    """

    def __init__(self, *, total: int, quiet: bool, report: bool = False) -> None:
        self._quiet = quiet
        self._report = report
        self._progress: Any = None
        if not quiet and total > 1 and sys.stderr.isatty() and os.environ.get("TERM") != "dumb":
            from rich.console import Console
            from rich.progress import Progress

            # No auto-refresh thread: the pool forks workers, and forking with threads is unsafe.
            self._progress = Progress(
                console=Console(stderr=True), auto_refresh=False, transient=True
            )
            self._task = self._progress.add_task("rendering", total=total)
            self._progress.start()

    def _line(self, text: str) -> None:
        if self._progress is not None:
            from .quoting import printable

            self._progress.console.print(
                printable(text), markup=False, highlight=False, soft_wrap=True
            )
        else:
            _error(text)

    def outcome(self, outcome: "Outcome") -> None:
        if outcome.status == "failed":
            for message in outcome.messages:
                self._line(message)
        elif not self._quiet:
            targets = outcome.targets or (outcome.target,)
            if outcome.status == "rendered":
                self._line(f"{outcome.source} -> {_written(targets, outcome.pages)}")
            else:
                self._line(f"{outcome.source}: up to date ({_written(targets, 0)})")
        if self._report and outcome.status == "rendered":
            for finding in outcome.findings or ("layout report: nothing to remark",):
                self._line(f"{outcome.source}: {finding}")
        if self._progress is not None:
            self._progress.advance(self._task)
            self._progress.refresh()

    def tick(self) -> None:
        if self._progress is not None:
            self._progress.refresh()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@app.command()
def check(
    inputs: Annotated[list[Path], typer.Argument(help="Release files or folders to validate.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
    report: Annotated[
        bool,
        typer.Option("--report", help="Also lay out in memory and print the layout report."),
    ] = False,
) -> None:
    """Validate releases without rendering; every problem as file:line:col: message.

    Folders are searched recursively, as for render. With --report each valid release is
    laid out in memory (nothing is written) and the layout report is printed too.

    Example: medieninfo check examples/eu-mission.yaml

    Example: medieninfo check releases/ --json
    """
    from .batch import check_layout, check_release, find_releases, refusal

    results: list[tuple[Path, list[Problem], list[str]]] = []
    found = list(find_releases(inputs))
    _collect_if_long(files=len(found), size=_size(found[0][0]) if found else 0)
    for source, root in found:
        if (refused := refusal(source, root)) is not None:
            results.append((source, [Problem(str(source), refused)], []))
        elif report:
            results.append((source, *check_layout(source)))
        else:
            results.append((source, check_release(source), []))
    warnings = _check_numbers(found, results, report=report)
    if as_json:
        import json

        from .quoting import json_encodable

        text = json.dumps(
            [
                {
                    "file": str(source),
                    "ok": not problems,
                    "errors": [problem.as_dict() for problem in problems],
                    **(
                        {
                            "report": findings,
                            "warnings": [w.as_dict() for w in warnings.get(str(source), [])],
                        }
                        if report
                        else {}
                    ),
                }
                for source, problems, findings in results
            ],
            ensure_ascii=False,
            indent=2,
        )
        # A file name that is not UTF-8 would make any encoding of standard output fail.
        print(json_encodable(text))
    else:
        for source, problems, findings in results:
            for problem in problems + warnings.get(str(source), []):
                _error(str(problem))
            if report and not problems:
                _print_findings(source, tuple(findings))
    raise typer.Exit(EXIT_FAILED if any(problems for _, problems, _ in results) else EXIT_OK)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")] = Path(
        defaults.TEMPLATE_NAME
    ),
    number: Annotated[
        int | None,
        typer.Option("--number", min=0, help="The release's number; default: the next free one."),
    ] = None,
    first_number: Annotated[
        int | None,
        typer.Option(
            "--first-number",
            min=0,
            help="Number of the year's first release in this folder; default: the "
            "letterhead's first_number, else 1.",
        ),
    ] = None,
) -> None:
    """Write a commented release template, dated today and numbered, that renders as it is.

    The number is the highest of this year's releases in the file's folder (and below) + 1;
    if there are none, --first-number, else the first_number of the letterhead of the
    folder's newest release (or of the default letterhead), else 1. Refuses to overwrite
    an existing file.

    Example: medieninfo new releases/2026-11-24-spielplatz.yaml

    Example: medieninfo new releases/erste.yaml --first-number 700
    """
    import datetime as dt

    from .template import next_number_for, write_template

    today = dt.date.today()
    if number is None:
        number = next_number_for(path, today=today, first=first_number)
    try:
        write_template(path, today=today, number=number)
    except MedieninfoError as exc:
        _report(exc)
        raise typer.Exit(EXIT_FAILED) from None
    _error(f"wrote {path} (no. {number} of {today.year}); render it with: medieninfo render {path}")


def _check_numbers(
    found: list[tuple[Path, Path | None]],
    results: list[tuple[Path, list[Problem], list[str]]],
    *,
    report: bool,
) -> dict[str, list[Problem]]:
    """Numbers given twice in a year become errors of both files; gaps, with --report,
    warnings (returned by file)."""
    from ..newsroom.catalogue import read_entries
    from ..newsroom.numbering import duplicates, gaps

    releases = [e.release for e in read_entries(found) if e.release is not None]
    by_file = {str(source): (problems, findings) for source, problems, findings in results}
    for problem in duplicates(releases):
        by_file[problem.file][0].append(problem)
    warnings: dict[str, list[Problem]] = {}
    if report:
        for problem in gaps(releases):
            warnings.setdefault(problem.file, []).append(problem)
    return warnings


@app.command()
def watch(
    inputs: Annotated[list[Path], typer.Argument(help="Release files or folders to watch.")],
    out_dir: OutDirOption = None,
    letterhead: LetterheadOption = None,
    interval: Annotated[
        float, typer.Option("--interval", min=0.01, help="Seconds between looks at the files.")
    ] = defaults.INTERVAL,
    passes: Annotated[int | None, typer.Option("--passes", hidden=True, min=1)] = None,
    quiet: QuietOption = False,
    to: ToOption = "pdf",
) -> None:
    """Re-render releases whenever they or their letterhead are saved; Ctrl-C ends.

    Example: medieninfo watch releases/
    """
    from .watch import watch as watch_files

    formats = _formats(to)
    gc.enable()  # watch runs for hours
    reporter = _Reporter(total=0, quiet=quiet)
    try:
        watch_files(
            inputs,
            on_outcome=reporter.outcome,
            out_dir=out_dir,
            letterhead=letterhead,
            interval=interval,
            iterations=passes,
            timeout=defaults.TIMEOUT,
            formats=formats,
        )
    except KeyboardInterrupt:
        # Ctrl-C is how watch ends: quietly, with the shell's code for it.
        raise typer.Exit(130) from None
    raise typer.Exit(EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the release format (for editor completion).

    Example: medieninfo schema > release.schema.json
    """
    import json

    from ..model.release import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def letterheads() -> None:
    """List the built-in letterheads.

    Example: medieninfo letterheads
    """
    from ..assets import builtin_letterheads
    from ..model.letterhead import load_letterhead

    for name, path in builtin_letterheads().items():
        print(f"{name}\t{load_letterhead(path).organisation}")


NowOption = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="Take this as the current time for Sperrfristen (2026-11-24 12:00); default: now.",
    ),
]
BaseUrlOption = Annotated[
    str,
    typer.Option("--base-url", help="Where the site is served: https://presse.example.org/"),
]


def _now(value: str | None) -> dt.datetime:
    """--now as a wall-clock time (as a Sperrfrist is typed), or the current one."""
    from ..newsroom.catalogue import now_here

    if value is None:
        return now_here()
    try:
        return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        _usage(f"--now takes a date and time like 2026-11-24 12:00, not {value!r}")


def _base_url(value: str) -> str:
    from ..newsroom.feed import check_base_url

    try:
        return check_base_url(value)
    except ValueError as exc:
        _usage(str(exc))


@app.command("list")
def list_(
    folders: Annotated[list[Path], typer.Argument(help="Folders (or files) of releases.")],
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="Look for the outputs here, as render does.")
    ] = None,
    to: Annotated[
        str, typer.Option("--to", "-t", help="Outputs to report on, comma-separated.")
    ] = "pdf,html,txt,eml",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")] = False,
    now: NowOption = None,
) -> None:
    """One row per release, newest first: date, number, headline, Sperrfrist, each output
    (up to date, stale or missing) and whether the file is valid.

    Reads only the files (no layout): fast on thousands of releases. Exit code 1 if a file
    is invalid.

    Example: medieninfo list releases/

    Example: medieninfo list releases/ --json | jq '.[] | select(.outputs.pdf != "up to date")'
    """
    from ..newsroom.catalogue import read_entries
    from ..newsroom.listing import rows
    from .batch import find_releases, made_by

    if as_json and as_csv:
        _usage("give either --json or --csv, not both")
    formats = _formats(to)
    moment = _now(now)
    found = find_releases(folders)
    if not found:
        _error("no release files found (*.yaml, *.yml, *.toml)")
        raise typer.Exit(EXIT_FAILED)
    table = rows(read_entries(found), now=moment, formats=formats, made_by=made_by, out_dir=out_dir)
    if as_json:
        import json

        print(json.dumps([row.as_dict() for row in table], ensure_ascii=False, indent=2))
    elif as_csv:
        from .listing import write_csv

        write_csv(table, formats, sys.stdout)
    else:
        from .listing import print_table

        print_table(table, formats)
    raise typer.Exit(EXIT_FAILED if any(not row.valid for row in table) else EXIT_OK)


@app.command()
def feed(
    folder: Annotated[Path, typer.Argument(help="The folder of releases.")],
    base_url: BaseUrlOption,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Where to write the feed; - for stdout.")
    ] = "-",
    now: NowOption = None,
) -> None:
    """Write the Atom feed of the published releases (Sperrfrist passed), newest first.

    Links point to each release's page and PDF at its path below --base-url, as
    medieninfo site lays them out.

    Example: medieninfo feed releases/ --base-url https://presse.example.org/ -o feed.xml
    """
    from .site import feed_bytes, published_entries

    url = _base_url(base_url)
    moment = _now(now)
    if not folder.is_dir():
        _error(f"{folder}: not a folder of releases")
        raise typer.Exit(EXIT_FAILED)
    published, entries = published_entries(folder, now=moment)
    for entry in entries:
        for problem in entry.problems:
            _error(str(problem))
    try:
        data = feed_bytes(published, base_url=url, now=moment)
        if output == "-":
            _write_stdout(data)
        else:
            from ..output import write_atomically

            write_atomically(data, Path(output), kind="feed")
            _error(f"{output}: {len(published)} release{'s' * (len(published) != 1)}")
    except MedieninfoError as exc:
        _report(exc)
        raise typer.Exit(EXIT_FAILED) from None
    raise typer.Exit(EXIT_FAILED if any(not e.valid for e in entries) else EXIT_OK)


@app.command()
def site(
    folder: Annotated[Path, typer.Argument(help="The folder of releases.")],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="The site's folder.")],
    base_url: BaseUrlOption,
    now: NowOption = None,
    force: Annotated[
        bool, typer.Option("--force", "-f", help="Render even pages that are up to date.")
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Parallel renders; default: cores.")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Publish a folder as a static website: each published release as web page and PDF,
    index.html (newest first, by year) and feed.xml.

    Incremental like render; a release under Sperrfrist is left out, and removed from the
    site if an earlier run published it.

    Example: medieninfo site releases/ --out-dir public/ --base-url https://presse.example.org/
    """
    from .site import build_site

    url = _base_url(base_url)
    moment = _now(now)
    if not folder.is_dir():
        _error(f"{folder}: not a folder of releases")
        raise typer.Exit(EXIT_FAILED)
    gc.enable()
    reporter = _Reporter(total=0, quiet=quiet)
    try:
        result = build_site(
            folder,
            out_dir=out_dir,
            base_url=url,
            now=moment,
            force=force,
            workers=jobs,
            timeout=defaults.TIMEOUT,
            on_outcome=reporter.outcome,
        )
    except MedieninfoError as exc:
        _report(exc)
        raise typer.Exit(EXIT_FAILED) from None
    finally:
        reporter.close()
    if not quiet:
        for path in result.removed:
            _error(f"{path}: removed (under Sperrfrist)")
        for path in result.orphans:
            _error(f"{path}: removed (its release is no longer in {folder})")
        count = len(result.published)
        _error(f"{result.index}, {result.feed}: {count} release{'s' * (count != 1)} published")
    raise typer.Exit(EXIT_FAILED if result.failed else EXIT_OK)


def main() -> None:
    """Run one command; ends with ``SystemExit`` like any Typer program, so a caller (a
    test, another program) may catch it and go on."""
    deferred.install()
    sys.exit(_run())


def entry_point() -> NoReturn:
    """The ``medieninfo`` command and ``python -m medieninfo``: :func:`main`, ended at once.

    A render ends with ~80,000 objects the cyclic collector tracks, most made by imports and
    alive until exit; the collector would scan them again and again (see
    :func:`_collect_if_long` for when it comes back).
    Python's normal exit then tears down every module and collects everything, for memory
    the OS frees anyway. So: run the exit handlers and flush, then ``os._exit``.
    """
    gc.disable()
    deferred.install()
    status = _run()
    status = _flush(status)
    atexit._run_exitfuncs()
    os._exit(_flush(status))


def _run() -> int:
    try:
        app(prog_name="medieninfo")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or EXIT_OK
        _error(str(exc.code))
        return EXIT_FAILED
    except BrokenPipeError:
        # `medieninfo ... | head` closed the pipe: end quietly, as Unix tools do.
        _silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # Standard output or error refused a write: a full disk, a closed terminal.
        _error(f"medieninfo: cannot write the output: {exc}")
        return EXIT_FAILED
    except Exception as exc:  # a bug: one line that says so, never a traceback
        _error(internal_error("medieninfo", exc))
        return EXIT_FAILED
    return EXIT_OK


def _flush(status: int) -> int:
    """Flush standard output and error as Python's exit would; a failure fails the run."""
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:
            continue
        try:
            stream.flush()
        except BrokenPipeError:
            _silence_stdout()
            status = status or EXIT_FAILED
        except Exception as exc:
            status = status or EXIT_FAILED
            if stream is sys.stdout:
                _error(f"medieninfo: cannot write the output: {exc}")
    return status


def _silence_stdout() -> None:
    with suppress(OSError, AttributeError, ValueError):  # no standard output to silence
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
