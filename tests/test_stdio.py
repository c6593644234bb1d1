"""Standard input and output at their limits: short writes, closed streams, endless input.

With ``PYTHONUNBUFFERED=1`` Python's unbuffered writer returns a short count instead of
raising, so a PDF cut off by ``ulimit -f`` or a full disk exited 0; standard input was read
whole before its size was checked (``yes |`` grew to gigabytes), outside ``--timeout``.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

ENV = {**os.environ, "NO_COLOR": "1"}


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-m", "medieninfo", *args], capture_output=True, timeout=120, **kwargs
    )


def _clean(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert "Traceback" not in text and "internal error" not in text, text
    return text


@pytest.mark.broken_pdfs_expected  # the cut-off PDF, which is the point
@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["PYTHONUNBUFFERED=1", "buffered"])
def test_a_pdf_cut_short_on_standard_output_is_an_error(tmp_path: Path, unbuffered: str) -> None:
    target = tmp_path / "out.pdf"
    limit = 20_000  # bytes: less than the example's PDF, more than anything else written

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    with target.open("wb") as out:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "medieninfo",
                "render",
                str(EXAMPLES / "eu-mission.yaml"),
                "-o",
                "-",
            ],
            stdout=out,
            stderr=subprocess.PIPE,
            env={**ENV, "PYTHONUNBUFFERED": unbuffered},
            preexec_fn=limit_file_size,
            timeout=120,
        )
    stderr = _clean(result.stderr)
    assert target.stat().st_size == limit
    assert result.returncode == 1, stderr
    assert "<stdout>: cannot write the output (File too large)" in stderr


def test_closed_standard_output_is_a_message() -> None:
    result = _run(
        ["render", str(EXAMPLES / "eu-mission.yaml"), "-o", "-"],
        stdout=None,
        env=ENV,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == 1
    assert "<stdout>: standard output is closed" in _clean(result.stderr)


def test_closed_standard_input_is_a_message(tmp_path: Path) -> None:
    result = _run(
        ["render", "-", "-o", str(tmp_path / "out.pdf")], env=ENV, preexec_fn=lambda: os.close(0)
    )
    assert result.returncode == 1
    assert "<stdin>: standard input is closed" in _clean(result.stderr)
    assert not (tmp_path / "out.pdf").exists()


def test_endless_standard_input_stops_at_the_size_limit(tmp_path: Path) -> None:
    """Like ``yes |``: refused after 5 MB and one byte, with little memory."""
    process = subprocess.Popen(
        [sys.executable, "-m", "medieninfo", "render", "-", "-o", str(tmp_path / "out.pdf")],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    written = 0
    chunk = b"y\n" * 32_768

    def feed() -> None:
        nonlocal written
        try:
            while written < 200 * 1024 * 1024:
                process.stdin.write(chunk)  # type: ignore[union-attr]
                written += len(chunk)
        except (BrokenPipeError, ValueError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    stderr = process.stderr.read()  # type: ignore[union-attr]
    process.wait(60)
    feeder.join(10)
    assert process.returncode == 1
    assert "<stdin>: input is larger than 5 MB" in _clean(stderr)
    # It stopped reading soon after the limit (pipe buffers hold a little more).
    assert written < 16 * 1024 * 1024
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kib < 1024 * 1024  # far below a GiB, whatever else this process ran


def test_a_stalled_producer_is_stopped_by_the_timeout(tmp_path: Path) -> None:
    read, write = os.pipe()
    try:
        started = time.monotonic()
        result = _run(
            ["render", "-", "-o", str(tmp_path / "out.pdf"), "--timeout", "1"],
            stdin=read,
            env=ENV,
        )
    finally:
        os.close(read)
        os.close(write)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "<stdin>: took longer than 1 s" in _clean(result.stderr)
