"""``medieninfo watch`` in a subprocess: re-renders on save, survives a broken file."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from conftest import MINIMAL, pdf_pages, run_cli

# Generous guards against a hung test, not timing expectations.
WAIT = 60.0


class Watcher:
    """A running `medieninfo watch` whose standard error is read line by line."""

    def __init__(self, *args: str | os.PathLike[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "medieninfo", "watch", *map(str, args), "--interval", "0.05"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def expect(self, text: str) -> str:
        """The next line containing ``text``; fails if the process ends or none comes."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r}; saw {seen}") from None
            seen.append(line)
            if text in line:
                return line


def test_watch_rerenders_a_saved_release_and_survives_a_broken_one(tmp_path: Path) -> None:
    source = tmp_path / "release.yaml"
    source.write_text(MINIMAL)
    pdf = tmp_path / "release.pdf"
    watcher = Watcher(tmp_path)
    try:
        watcher.expect("release.pdf (1 page)")
        assert "Eine Überschrift" in pdf_pages(pdf)[0]

        source.write_text(MINIMAL.replace("Eine Überschrift", "Neue Fassung"))
        watcher.expect("release.pdf (1 page)")
        assert "Neue Fassung" in pdf_pages(pdf)[0]

        source.write_text("date: 2022-04-28\nheadline: Kaputt\nnumber: drei\nbody: x\n")
        line = watcher.expect("release.yaml:3:")
        assert "number" in line
        assert watcher.process.poll() is None, "watch ended on a broken file"
        assert "Neue Fassung" in pdf_pages(pdf)[0], "the good PDF was replaced"

        # Fixed again: back to work without a restart.
        source.write_text(MINIMAL.replace("Eine Überschrift", "Wieder gut"))
        watcher.expect("release.pdf (1 page)")
        assert "Wieder gut" in pdf_pages(pdf)[0]
    finally:
        watcher.process.send_signal(signal.SIGINT)
        code = watcher.process.wait(timeout=WAIT)
    assert code == 130
    assert "Traceback" not in "".join(iter_queue(watcher.lines))


def iter_queue(lines: queue.Queue[str]) -> list[str]:
    out = []
    while not lines.empty():
        out.append(lines.get())
    return out


def test_watch_rerenders_when_the_letterhead_is_saved(tmp_path: Path) -> None:
    from conftest import EXAMPLES

    for name in ("release.yaml", "letterhead.toml", "logo.png"):
        (tmp_path / name).write_bytes((EXAMPLES / "musterstadt" / name).read_bytes())
    watcher = Watcher(tmp_path / "release.yaml")
    try:
        watcher.expect("release.pdf")
        letterhead = tmp_path / "letterhead.toml"
        letterhead.write_text(
            letterhead.read_text("utf-8").replace("Gemeinde Musterstadt", "Stadt Neuheim"),
            encoding="utf-8",
        )
        watcher.expect("release.pdf")
        assert "Stadt Neuheim" in pdf_pages(tmp_path / "release.pdf")[0]
    finally:
        watcher.process.send_signal(signal.SIGINT)
        watcher.process.wait(timeout=WAIT)


def test_watch_passes_option_ends_by_itself(tmp_path: Path) -> None:
    (tmp_path / "release.yaml").write_text(MINIMAL)
    result = run_cli("watch", tmp_path, "--passes", "2", "--interval", "0.01")
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "release.pdf").exists()
