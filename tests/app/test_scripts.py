"""The CLI in scripts and editors: stdin/stdout, new, schema, help, version."""

from __future__ import annotations

import gc
import json
import os
import pty
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from medieninfo.app import cli

from conftest import EXAMPLES, MINIMAL, pdf_pages, run_cli, run_command

COMMANDS = ("render", "check", "schema", "letterheads", "new", "watch")


def test_stdin_to_stdout_gives_a_pdf(tmp_path: Path) -> None:
    result = run_cli("render", "-", "-o", "-", input=(EXAMPLES / "eu-mission.yaml").read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"%PDF-")
    (tmp_path / "out.pdf").write_bytes(result.stdout)
    assert "Europäische Kommission" in pdf_pages(tmp_path / "out.pdf")[0]


def test_shell_pipeline(tmp_path: Path) -> None:
    # The issue's own words: cat release.yaml | medieninfo render - -o - > out.pdf
    source = tmp_path / "release.yaml"
    source.write_text(MINIMAL)
    command = f'cat release.yaml | "{sys.executable}" -m medieninfo render - -o - > out.pdf'
    subprocess.run(command, shell=True, cwd=tmp_path, check=True, timeout=120)
    assert "Eine Überschrift" in pdf_pages(tmp_path / "out.pdf")[0]


def test_stdin_toml_and_errors_name_stdin() -> None:
    toml = 'date = 2022-04-28\nheadline = "Aus TOML"\nbody = "Text."\n'
    result = run_cli("render", "-", "--format", "toml", input=toml.encode())
    assert result.returncode == 0, result.stderr.decode()
    assert "Aus TOML" in pdf_pages(result.stdout)[0]
    bad = run_cli("render", "-", "-o", "-", input=b"date: 2022-04-28\nheadline: A\n")
    assert bad.returncode == 1 and bad.stdout == b""
    assert bad.stderr.decode().startswith("<stdin>:")


def test_stdin_to_a_file_takes_the_same_path_as_a_file(tmp_path: Path) -> None:
    # It refuses to overwrite a file that is not a PDF, creates a missing folder, and
    # honours --timeout, exactly as rendering a named file does.
    notes = tmp_path / "notes.txt"
    notes.write_text("wichtig")
    result = run_cli("render", "-", "-o", notes, input=MINIMAL.encode())
    assert result.returncode == 1
    assert "exists and is not a PDF" in result.stderr.decode()
    assert notes.read_text() == "wichtig"
    nested = tmp_path / "neu" / "pm.pdf"
    result = run_cli("render", "-", "-o", nested, input=MINIMAL.encode())
    assert result.returncode == 0, result.stderr.decode()
    assert pdf_pages(nested)
    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL)
    # A time limit interrupts the render wherever it is: in a process of its own.
    result = run_command("render", source, "-o", tmp_path / "t.pdf", "--timeout", "0.001")
    assert result.returncode == 1
    assert "took longer than 0.001 s" in result.stderr.decode()


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (("render", "-", "-o", "-"), MINIMAL.encode()),  # PDF bytes on standard output
        (("check", "-"), b""),  # no such file, on standard error
        (("render", "-", "-o", "-"), b"date: 2022-04-28\nheadline: [x]\nbody: y\n"),
        (("render", "--no-such-option"), b""),  # a usage error: exit 2
        (("letterheads",), b""),
    ],
    ids=["pdf", "missing", "invalid", "usage", "text"],
)
def test_in_process_runs_answer_as_the_command_does(args: tuple[str, ...], stdin: bytes) -> None:
    # run_cli (cli.main() in this process) stands in for the command in most tests: it must
    # give the same exit code and the same bytes on both streams as `python -m medieninfo`.
    inside, outside = run_cli(*args, input=stdin), run_command(*args, input=stdin)
    assert (inside.returncode, inside.stderr) == (outside.returncode, outside.stderr)
    assert inside.stdout == outside.stdout
    assert inside.returncode != 0 or inside.stdout


def test_refuses_to_write_pdf_to_a_terminal() -> None:
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "medieninfo", "render", "-", "-o", "-"],
            input=MINIMAL.encode(),
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=120,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert "terminal" in result.stderr.decode()


def test_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    source = tmp_path / "release.yaml"
    source.write_text(MINIMAL)
    # `true` exits without reading: the write meets a closed pipe.
    command = f'"{sys.executable}" -m medieninfo render release.yaml -o - | true'
    result = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, timeout=120)
    assert result.stderr == b""


def _run_into(stdout: Any, *command: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI with MINIMAL on stdin and ``stdout`` as standard output, buffered as usual
    (this machine's PYTHONUNBUFFERED would make every print fail at once, not at exit)."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "medieninfo", *command],
        input=MINIMAL.encode(),
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=buffered,
        timeout=120,
    )


@pytest.mark.parametrize("command", [("schema",), ("letterheads",), ("render", "-", "-o", "-")])
def test_output_to_a_closed_pipe_fails_quietly(command: tuple[str, ...]) -> None:
    # Text output sits in Python's buffer until the command ends, so the failed write
    # happens in entry_point's last flush: it must still say nothing and exit 1, as a
    # failed write does.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = _run_into(write_end, *command)
    finally:
        os.close(write_end)
    assert result.stderr == b""
    assert result.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [("letterheads",), ("render", "-", "-o", "-")])
def test_a_full_disk_on_standard_output_fails_with_a_message(command: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        result = _run_into(full, *command)
    assert result.returncode == 1
    assert "cannot write the output" in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_closed_standard_output_is_no_error(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(MINIMAL)
    result = subprocess.run(
        [sys.executable, "-m", "medieninfo", "render", "r.yaml"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode().strip() == "r.yaml -> r.pdf (1 page)"


def test_exit_handlers_run_and_main_can_be_caught(tmp_path: Path) -> None:
    # entry_point (the command) skips Python's teardown but not the exit handlers, even
    # those registered before it; main() is an ordinary SystemExit for a calling program.
    (tmp_path / "r.yaml").write_text(MINIMAL)
    script = (
        "import atexit, sys; atexit.register(print, 'handler ran'); "
        "from medieninfo.app import cli; sys.argv = ['medieninfo', 'check', 'r.yaml']; "
        "{}"
    )
    caught = "\ntry: cli.main()\nexcept SystemExit as exc: print('caught', exc.code)"
    for call, expected in (
        ("cli.entry_point()", "handler ran\n"),
        (caught, "caught 0\nhandler ran\n"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", script.format(call)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (result.returncode, result.stdout) == (0, expected), result.stderr


@pytest.mark.parametrize(
    ("files", "size", "collecting"),
    [(1, 3_000, False), (1, cli.COLLECT_ABOVE + 1, True), (2, 3_000, True)],
)
def test_long_work_turns_the_collector_back_on(files: int, size: int, collecting: bool) -> None:
    was_on = gc.isenabled()
    gc.disable()  # as main() leaves it
    try:
        cli._collect_if_long(files=files, size=size)
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was_on else gc.disable)()


def test_new_writes_a_template_that_renders(tmp_path: Path) -> None:
    result = run_cli("new", "heute.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert run_cli("check", "heute.yaml", cwd=tmp_path).returncode == 0
    result = run_cli("render", "heute.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    import datetime as dt

    today = dt.date.today()
    assert f"{today.day}.{today.month}.{today.year}" in pdf_pages(tmp_path / "heute.pdf")[0]
    # Never overwrites.
    before = (tmp_path / "heute.yaml").read_bytes()
    again = run_cli("new", "heute.yaml", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr.decode()
    assert (tmp_path / "heute.yaml").read_bytes() == before


def _schema() -> dict:
    result = run_cli("schema")
    assert result.returncode == 0
    return json.loads(result.stdout)


def _plain(data: dict) -> dict:
    # JSON has no dates: editors see the YAML/TOML dates as the strings they were typed as.
    return {key: str(value) if key in ("date", "embargo") else value for key, value in data.items()}


def test_schema_is_valid_and_accepts_the_examples() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = _schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    yaml_example = yaml.safe_load((EXAMPLES / "eu-mission.yaml").read_text(encoding="utf-8"))
    toml_example = tomllib.loads((EXAMPLES / "eu-mission.toml").read_text(encoding="utf-8"))
    other = yaml.safe_load((EXAMPLES / "musterstadt" / "release.yaml").read_text("utf-8"))
    for example in (yaml_example, toml_example, other):
        validator.validate(_plain(example))
    misspelt = {**_plain(yaml_example), "headlin": "Tippfehler"}
    errors = list(validator.iter_errors(misspelt))
    assert errors and "headlin" in errors[0].message


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert "Example: medieninfo" in result.stdout.decode()


def test_version() -> None:
    from medieninfo import __version__

    assert run_cli("--version").stdout.decode().strip() == f"medieninfo {__version__}"


def test_preview_writes_pngs_or_says_what_is_missing(tmp_path: Path) -> None:
    source = tmp_path / "release.yaml"
    source.write_text(MINIMAL)
    result = run_cli("render", source, "--preview")
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        assert result.returncode == 1
        assert "pip install 'medieninfo[preview]'" in result.stderr.decode()
        return
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "release-1.png").read_bytes().startswith(b"\x89PNG")
