"""The command line: parse options, call the library, turn its errors into messages.

Exit codes: 0 success; 1 an input was invalid or a PDF could not be written; 2 usage error
(unknown option, missing argument). Errors print as ``file:line:col: message`` on standard
error, never as a traceback. Rich is imported only where a terminal is shown something
richer than lines of text, so the plain render path stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .errors import InputError, MedieninfoError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="medieninfo",
    help="Typeset press releases (YAML or TOML with a Markdown body) into letterhead PDFs.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _error(message: str) -> None:
    print(message, file=sys.stderr)


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
    inputs: Annotated[list[Path], typer.Argument(help="Release files (.yaml, .yml, .toml).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the PDF.")
    ] = None,
    letterhead: Annotated[
        str | None,
        typer.Option("--letterhead", "-l", help="Built-in letterhead name or letterhead file."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
) -> None:
    """Render releases to PDF, each beside its input unless -o is given.

    Example: medieninfo render examples/eu-mission.yaml -o /tmp/753.pdf
    """
    from .render import render_file

    if output is not None and len(inputs) > 1:
        _error("-o/--output takes one input file; render several into their own folders")
        raise typer.Exit(EXIT_USAGE)
    failed = 0
    for source in inputs:
        try:
            target, rendered = render_file(source, output=output, letterhead=letterhead)
        except MedieninfoError as exc:
            _report(exc)
            failed += 1
            continue
        if not quiet:
            pages = "page" if rendered.pages == 1 else "pages"
            print(f"{source} -> {target} ({rendered.pages} {pages})", file=sys.stderr)
    raise typer.Exit(EXIT_FAILED if failed else EXIT_OK)


@app.command()
def check(
    inputs: Annotated[list[Path], typer.Argument(help="Release files to validate.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
) -> None:
    """Validate releases without rendering; every problem as file:line:col: message.

    Example: medieninfo check examples/eu-mission.yaml
    """
    from .render import letterhead_for
    from .release import load_release

    results = []
    for source in inputs:
        problems = []
        try:
            letterhead_for(load_release(source))
        except InputError as exc:
            problems = exc.problems
        except MedieninfoError as exc:
            problems = [InputError.single(source, str(exc)).problems[0]]
        results.append((source, problems))
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "file": str(source),
                        "ok": not problems,
                        "errors": [problem.as_dict() for problem in problems],
                    }
                    for source, problems in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for _source, problems in results:
            for problem in problems:
                _error(str(problem))
    raise typer.Exit(EXIT_FAILED if any(problems for _, problems in results) else EXIT_OK)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the release format (for editor completion).

    Example: medieninfo schema > release.schema.json
    """
    from .release import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def letterheads() -> None:
    """List the built-in letterheads.

    Example: medieninfo letterheads
    """
    from .assets import builtin_letterheads
    from .letterhead import load_letterhead

    for name, path in builtin_letterheads().items():
        print(f"{name}\t{load_letterhead(path).organisation}")


def main() -> None:
    """Console-script entry point."""
    try:
        app(prog_name="medieninfo")
    except BrokenPipeError:
        # `medieninfo ... | head` closed the pipe: end quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_FAILED)
    except KeyboardInterrupt:
        sys.exit(130)
