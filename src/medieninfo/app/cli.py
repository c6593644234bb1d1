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

from __future__ import annotations

import atexit
import gc
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .. import __version__
from ..errors import InputError, MedieninfoError, Problem, internal_error
from . import defaults

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
    typer.Option("--out-dir", help="Write PDFs here, keeping the inputs' folder structure."),
]
LetterheadOption = Annotated[
    str | None,
    typer.Option("--letterhead", "-l", help="Built-in letterhead name or letterhead file."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]

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
        str | None, typer.Option("--output", "-o", help="Where to write the PDF; - for stdout.")
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
) -> None:
    """Render releases to PDF, each beside its input unless -o or --out-dir is given.

    Folders are searched recursively (letterhead files are left out); PDFs newer than their
    release and letterhead are skipped unless --force.

    Example: medieninfo render examples/eu-mission.yaml -o /tmp/753.pdf

    Example: medieninfo render releases/ --out-dir pdf/ --jobs 4

    Example: cat release.yaml | medieninfo render - -o - > release.pdf
    """
    if fmt not in ("yaml", "toml"):
        _usage(f"--format must be yaml or toml, not {fmt!r}")
    if output is not None and out_dir is not None:
        _usage("give either -o/--output or --out-dir, not both")
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
        )
    from .batch import plan, render_batch

    tasks = plan(inputs, out_dir=out_dir)
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
    finished = [o.target for o in summary.outcomes if o.status != "failed"]
    failed = _after(finished, open_=open_, preview=preview, quiet=quiet)
    raise typer.Exit(EXIT_FAILED if summary.failed or failed else EXIT_OK)


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
) -> NoReturn:
    """One release (a file, or standard input when ``source`` is None) to one place: the
    file given with -o, or standard output for -o -."""
    from ..render import render_file
    from .batch import guarded

    to_stdout = output == "-"
    if to_stdout and (open_ or preview):
        _usage("--open and --preview need a file; they do not work with -o -")
    if to_stdout and sys.stdout is not None and sys.stdout.isatty():
        _usage("refusing to write PDF bytes to a terminal; redirect (> out.pdf) or pipe it")
    label = str(source) if source is not None else "<stdin>"
    target = None if to_stdout else Path(output)

    def work() -> Any:
        # Inside the time limit: a producer that stalls is stopped like a render.
        data = _read_stdin() if source is None else None
        _collect_if_long(files=1, size=len(data) if data is not None else _size(source))
        return render_file(target, source=source, data=data, fmt=fmt, letterhead=letterhead)

    rendered, messages = guarded(work, label=label, timeout=timeout)
    if rendered is None:
        for message in messages:
            _error(message)
        raise typer.Exit(EXIT_FAILED)
    if report:
        _print_findings(label, tuple(map(str, rendered.findings)))
    if target is None:
        _write_stdout(rendered.pdf)
        raise typer.Exit(EXIT_OK)
    if not quiet:
        _error(f"{label} -> {output} ({_pages(rendered.pages)})")
    failed = _after([target], open_=open_, preview=preview, quiet=quiet)
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


def _read_stdin() -> bytes:
    """A release from standard input: at most the size limit plus one byte is read (and so
    held), so ``yes |`` or a 1 GB pipe fail at 5 MB instead of filling the memory."""
    from ..model.source import MAX_BYTES

    stream = sys.stdin
    try:
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        raise InputError.single(
            "<stdin>", "standard input is closed; pipe a release into it"
        ) from None
    chunks = []
    left = MAX_BYTES + 1
    try:
        while left > 0:
            chunk = os.read(descriptor, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise InputError.single(
            "<stdin>", f"cannot read standard input: {exc.strerror or exc}"
        ) from None
    return b"".join(chunks)


def _write_stdout(pdf: bytes) -> None:
    """Write the PDF to standard output's descriptor, all of it or an error: a short write
    (a full disk, ``ulimit -f``; with ``PYTHONUNBUFFERED=1`` Python's own writer would
    return it silently) is never taken for success. Python ignores SIGXFSZ, so a file size
    limit arrives here as EFBIG."""
    try:
        stream = sys.stdout
        stream.flush()
        descriptor = stream.fileno()
    except (AttributeError, ValueError, OSError):
        _error("<stdout>: standard output is closed; redirect it (> out.pdf) or use -o FILE")
        raise typer.Exit(EXIT_FAILED) from None
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

    def outcome(self, outcome: Outcome) -> None:
        if outcome.status == "failed":
            for message in outcome.messages:
                self._line(message)
        elif not self._quiet:
            if outcome.status == "rendered":
                self._line(f"{outcome.source} -> {outcome.target} ({_pages(outcome.pages)})")
            else:
                self._line(f"{outcome.source}: up to date ({outcome.target})")
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
    if as_json:
        import json

        from .quoting import json_encodable

        text = json.dumps(
            [
                {
                    "file": str(source),
                    "ok": not problems,
                    "errors": [problem.as_dict() for problem in problems],
                    **({"report": findings} if report else {}),
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
            for problem in problems:
                _error(str(problem))
            if report and not problems:
                _print_findings(source, tuple(findings))
    raise typer.Exit(EXIT_FAILED if any(problems for _, problems, _ in results) else EXIT_OK)


@app.command()
def new(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")] = Path(
        defaults.TEMPLATE_NAME
    ),
) -> None:
    """Write a commented release template, dated today, that renders as it is.

    Refuses to overwrite an existing file.

    Example: medieninfo new 2026-11-24-spielplatz.yaml
    """
    from .template import write_template

    try:
        write_template(path)
    except MedieninfoError as exc:
        _report(exc)
        raise typer.Exit(EXIT_FAILED) from None
    _error(f"wrote {path}; render it with: medieninfo render {path}")


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
) -> None:
    """Re-render releases whenever they or their letterhead are saved; Ctrl-C ends.

    Example: medieninfo watch releases/
    """
    from .watch import watch as watch_files

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


def main() -> None:
    """Run one command; ends with ``SystemExit`` like any Typer program, so a caller (a
    test, another program) may catch it and go on."""
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
