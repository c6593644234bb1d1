"""Shared helpers: run the CLI (in this process or a new one) and read PDFs by what is in them."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest_plugins = ["conftest_pdfcheck", "watching"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
#: The text of Stadt Dortmund's press release no. 753 (public), which examples/eu-mission.yaml
#: reproduces; the tests compare the PDF with it.
REFERENCE = DATA / "medieninformation-753.txt"


def run_cli(
    *args: str | os.PathLike[str],
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``medieninfo ARGS`` in this process through :func:`medieninfo.app.cli.main`.

    As a user's shell would run it, minus the start-up (a third of a second per call):
    ``argv``, standard input (``input``, else empty), byte-capturing standard output and
    error that are not terminals, ``NO_COLOR`` and ``env`` in the environment, ``cwd`` as the
    working directory; the exit code comes from ``SystemExit``. All of it is put back
    afterwards, and so is the cyclic collector, which the CLI turns on for long work.
    The CLI itself must leave the signal handlers and timers as it found them.

    ``entry_point`` (the installed command) ends the process; tests of it, of exit codes on
    broken pipes and of signals use :func:`run_command`. So does anything that may hang
    (a FIFO) or is cut short by ``--timeout`` within one process: that interrupts ReportLab
    wherever it is, and a test process must not carry such a half-done state on. A call
    that gives ``timeout`` (a guard against a hang) goes there too: only a process of its
    own can be stopped.
    """
    if timeout is not None:
        return run_command(*args, input=input, env=env, cwd=cwd, timeout=timeout)
    from medieninfo.app import cli

    argv = ["medieninfo", *map(str, args)]
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", newline="")
    stdin = io.TextIOWrapper(io.BytesIO(input or b""), encoding="utf-8")
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    saved_argv, saved_environ = sys.argv, dict(os.environ)
    collecting = gc.isenabled()
    handlers = _signal_state()
    code: int | str | None = 0
    with contextlib.chdir(cwd or os.getcwd()):
        os.environ.update({"NO_COLOR": "1", **(env or {})})
        _tzset_if("TZ" in (env or {}))
        sys.argv, (sys.stdin, sys.stdout, sys.stderr) = argv, (stdin, stdout, stderr)
        try:
            cli.main()
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.argv, (sys.stdin, sys.stdout, sys.stderr) = saved_argv, saved_streams
            os.environ.clear()
            os.environ.update(saved_environ)
            _tzset_if("TZ" in (env or {}))
            (gc.enable if collecting else gc.disable)()
    assert _signal_state() == handlers, f"medieninfo {args} left signal handlers changed"
    assert isinstance(code, int | None), code
    return subprocess.CompletedProcess(argv, code or 0, _bytes(stdout), _bytes(stderr))


def _bytes(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


def _tzset_if(changed: bool) -> None:
    if changed and hasattr(time, "tzset"):
        time.tzset()


#: Signals whose handling the CLI changes for a while (time limits, ``ulimit -f``, Ctrl-C).
_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGALRM", "SIGXFSZ", "SIGINT", "SIGPIPE")
    if hasattr(signal, name)
)


def _signal_state() -> tuple[object, ...]:
    timer = signal.getitimer(signal.ITIMER_REAL) if hasattr(signal, "getitimer") else None
    return (*map(signal.getsignal, _SIGNALS), timer)


def run_command(
    *args: str | os.PathLike[str],
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m medieninfo ARGS`` in a new process, as the installed command runs.

    ``timeout`` guards against a hang (the process is killed, the test fails)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "medieninfo", *map(str, args)],
        input=input,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )


def render_ok(source: Path, target: Path, *options: str) -> Path:
    """Render ``source`` to ``target`` through the CLI; the render must succeed."""
    result = run_cli("render", source, "-o", target, *options)
    assert result.returncode == 0, result.stderr.decode()
    return target


def pdf_pages(path: Path | bytes) -> list[str]:
    """Text of each page, in content-stream order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path, strict=True)
    return [page.extract_text() for page in reader.pages]


def squash(text: str) -> str:
    """Compare text regardless of line breaks: drop whitespace and line-end hyphens."""
    text = text.replace("\xad", "")
    text = re.sub(r"-\s+", "-", text)
    text = re.sub(r"(?<=[a-zäöüß])-(?=[a-zäöüß])", "", text)
    return re.sub(r"\s+", "", text)


@pytest.fixture
def release_file(tmp_path: Path):
    """Write a release file from text and return its path."""

    def make(text: str, name: str = "release.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


MINIMAL = "date: 2022-04-28\nheadline: Eine Überschrift\nbody: Ein Absatz.\n"
