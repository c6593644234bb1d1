"""Fault injection on the write: a kill, a file-size limit, a full disk.

Whatever happens, the target holds either the previous PDF, byte for byte, or the complete
new one (rendering is deterministic, so "complete" means: identical to a clean render).
The kill test slows the child's writes from the outside (a wrapper that patches ``os.fdopen``
in the child only) so that kills land inside the write; the product has no test hook. The
children are forked from a warm process, so the 32 kills cost ~3 s, not ~17 s of cold starts.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medieninfo.output import STALE_AFTER, remove_stale_temporaries

from conftest import EXAMPLES, run_cli
from conftest_pdfcheck import pdf_problem

KILLS_IN_WRITE = 24
KILLS_ANYWHERE = 8

# A warm process that forks one `medieninfo render` per request, each with a file object that
# writes in small, slow pieces and says when it starts. Forked from a process that has
# rendered once, a run reaches its write in tens of milliseconds instead of a cold start's
# half second; what is killed is still a whole CLI run (main()) in a process of its own.
# Protocol, one line each: "run\t<arguments>" -> "pid N" (the child starts only then);
# "reap" -> "ended N". The child stays unreaped until "reap", so its pid cannot be reused
# by another process before the test's kill.
_SLOW_WRITERS = """
import os, sys, time
from pathlib import Path
real_fdopen = os.fdopen

class Slow:
    def __init__(self, handle):
        self.handle = handle
    def write(self, data):
        print("writing", flush=True)
        for start in range(0, len(data), 4096):
            self.handle.write(data[start:start + 4096])
            self.handle.flush()
            time.sleep(0.002)
        return len(data)
    def __getattr__(self, name):
        return getattr(self.handle, name)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)

from medieninfo.app.cli import main
from medieninfo.render import render_file

render_file(None, source=Path(sys.argv[1]))  # every stage imported, the fonts loaded
os.fdopen = lambda *args, **kwargs: Slow(real_fdopen(*args, **kwargs))
print("ready", flush=True)
for request in sys.stdin:
    held, release = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(release)
        os.read(held, 1)  # returns when the parent, having said "pid N", closes its end
        sys.argv = ["medieninfo", *request.rstrip("\\n").split("\\t")[1:]]
        try:
            main()
        except SystemExit as exc:
            os._exit(exc.code if isinstance(exc.code, int) else 1)
        os._exit(0)
    os.close(held)
    print("pid", pid, flush=True)
    os.close(release)
    assert sys.stdin.readline() == "reap\\n"
    os.waitpid(pid, 0)
    print("ended", pid, flush=True)
"""


class _SlowWriters:
    """The process above, as the test drives it."""

    def __init__(self, warm_up: Path, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SLOW_WRITERS, str(warm_up)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            text=True,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, f"the slow writers ended ({self.process.wait()})"
        return line.rstrip("\n")

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def start(self, *args: str | os.PathLike[str]) -> int:
        """Start ``medieninfo ARGS``; its pid."""
        self._send("\t".join(["run", *map(str, args)]))
        kind, pid = self._line().split()
        assert kind == "pid"
        return int(pid)

    def until_writing(self) -> None:
        assert self._line() == "writing"

    def end(self, pid: int) -> None:
        """Let the run end (or be ended), and wait until it has."""
        self._send("reap")
        while (line := self._line()) != f"ended {pid}":
            assert line == "writing", line

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def _two_releases(folder: Path) -> tuple[Path, Path]:
    """Two releases whose PDFs differ, both on the built-in letterhead."""
    text = (EXAMPLES / "eu-mission.yaml").read_text(encoding="utf-8")
    first, second = folder / "a.yaml", folder / "b.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("number: 753", "number: 754"), encoding="utf-8")
    return first, second


def _render(source: Path, target: Path, **kwargs) -> subprocess.CompletedProcess[bytes]:
    result = run_cli("render", source, "-o", target, cwd=source.parent, **kwargs)
    return result


def _reference(tmp_path: Path) -> tuple[Path, Path, bytes, bytes]:
    first, second = _two_releases(tmp_path)
    refs = tmp_path / "refs"
    refs.mkdir()
    for source in (first, second):
        assert _render(source, refs / f"{source.stem}.pdf").returncode == 0
    old, new = (refs / "a.pdf").read_bytes(), (refs / "b.pdf").read_bytes()
    assert old != new
    return first, second, old, new


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".medieninfo-*.pdf.tmp"))


def test_kills_during_the_write_leave_the_old_or_the_new_pdf(tmp_path: Path) -> None:
    first, second, old, new = _reference(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "release.pdf"
    rng = random.Random(753)
    outcomes = {"old": 0, "new": 0}
    writers = _SlowWriters(second, cwd=tmp_path)
    try:
        # Not killed: a forked run writes the same bytes as a clean one; it also gives the
        # time a whole run takes, over which the kills "anywhere" are spread.
        shutil.copyfile(tmp_path / "refs" / "a.pdf", target)
        started = time.monotonic()
        writers.end(writers.start("render", second, "-o", target))
        span = time.monotonic() - started
        assert target.read_bytes() == new
        for attempt in range(KILLS_IN_WRITE + KILLS_ANYWHERE):
            shutil.copyfile(tmp_path / "refs" / "a.pdf", target)
            pid = writers.start("render", second, "-o", target)
            if attempt < KILLS_IN_WRITE:
                # Wait for the write to begin, then kill inside it (~17 pieces of 2 ms).
                writers.until_writing()
                time.sleep(rng.uniform(0, 0.06))
            else:
                time.sleep(rng.uniform(0, 1.2 * span))
            os.kill(pid, signal.SIGKILL)  # not yet reaped: the pid is still this run's
            writers.end(pid)
            now = target.read_bytes()
            assert now in (old, new), (
                f"attempt {attempt}: target is neither the old nor the new PDF"
            )
            outcomes["old" if now == old else "new"] += 1
    finally:
        writers.close()
    # Both outcomes happened, or the kills did not land where they should.
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
    # Killed writers leave temporaries; once stale, the next write removes them.
    leftovers = _temporaries(out)
    assert leftovers, "no kill landed inside the write"
    stale = time.time() - STALE_AFTER - 60
    for path in leftovers:
        os.utime(path, (stale, stale))
    assert _render(first, target).returncode == 0
    assert target.read_bytes() == old
    assert _temporaries(out) == []


def _limit_file_size(limit: int, *, ignore_sigxfsz: bool):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        if ignore_sigxfsz:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    return preexec


@pytest.mark.parametrize(
    "ignore_sigxfsz", [True, False], ids=["sigxfsz-ignored", "sigxfsz-default"]
)
def test_a_file_size_limit_leaves_the_previous_pdf(tmp_path: Path, ignore_sigxfsz: bool) -> None:
    _, second, old, new = _reference(tmp_path)
    target = tmp_path / "out.pdf"
    target.write_bytes(old)
    result = subprocess.run(
        [sys.executable, "-m", "medieninfo", "render", str(second), "-o", str(target)],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        # Below the PDF's size, above anything else the child writes.
        preexec_fn=_limit_file_size(len(new) // 2, ignore_sigxfsz=ignore_sigxfsz),
    )
    stderr = result.stderr.decode()
    # Without SIG_IGN from outside, medieninfo ignores SIGXFSZ itself during the write.
    assert result.returncode == 1, (result.returncode, stderr)
    assert "cannot write PDF: File too large; the previous file is unchanged" in stderr
    assert "Traceback" not in stderr
    assert target.read_bytes() == old
    assert _temporaries(tmp_path) == []


def test_a_full_filesystem_leaves_the_previous_pdf(tmp_path: Path) -> None:
    _, second, old, new = _reference(tmp_path)
    small = tmp_path / "small"
    small.mkdir()
    page = 4096
    # Room for the old PDF and half the new one.
    size = (len(old) // page + 1) * page + len(new) // 2
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(small)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        target = small / "release.pdf"
        target.write_bytes(old)
        result = _render(second, target)
        stderr = result.stderr.decode()
        assert result.returncode == 1, stderr
        assert "cannot write PDF: No space left on device; the previous file is unchanged" in stderr
        assert target.read_bytes() == old
        assert _temporaries(small) == []
        # With room again, the same command replaces it with the complete new PDF.
        (small / "release.pdf").unlink()
        assert _render(second, target).returncode == 0
        assert target.read_bytes() == new
    finally:
        subprocess.run(["umount", str(small)], check=True)


@pytest.mark.broken_pdfs_expected  # c.pdf is a release in disguise
def test_the_input_is_never_overwritten(tmp_path: Path) -> None:
    first, _ = _two_releases(tmp_path)
    before = first.read_bytes()
    for target in (first, tmp_path / "." / "a.yaml"):
        result = _render(first, target)
        assert result.returncode == 1
        assert "refusing to overwrite the input file" in result.stderr.decode()
    # A release named .pdf would be its own default output.
    disguised = tmp_path / "c.pdf"
    disguised.write_bytes(before)
    result = run_cli("render", disguised, cwd=tmp_path)
    assert result.returncode == 1
    assert first.read_bytes() == before and disguised.read_bytes() == before


@pytest.mark.broken_pdfs_expected
def test_stale_temporaries_are_removed_and_nothing_else(tmp_path: Path) -> None:
    old = time.time() - STALE_AFTER - 60
    stale = tmp_path / ".medieninfo-abc.pdf.tmp"
    fresh = tmp_path / ".medieninfo-def.pdf.tmp"
    other = tmp_path / "notes.pdf.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"%PDF-1.4 half")
    elsewhere = tmp_path / "keep.pdf"
    elsewhere.write_bytes(b"precious")
    planted = tmp_path / ".medieninfo-ghi.pdf.tmp"
    planted.symlink_to(elsewhere)
    for path in (stale, other):
        os.utime(path, (old, old))
    os.utime(planted, (old, old), follow_symlinks=False)
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert not stale.exists()
    assert fresh.exists() and other.exists() and planted.is_symlink()
    assert elsewhere.read_bytes() == b"precious"


def test_the_pdf_check_catches_a_truncated_pdf(tmp_path: Path) -> None:
    # The autouse check (conftest_pdfcheck) must be able to fail.
    source = tmp_path / "r.yaml"
    source.write_text((EXAMPLES / "eu-mission.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("render", source, cwd=tmp_path).returncode == 0
    good = (tmp_path / "r.pdf").read_bytes()
    assert pdf_problem(tmp_path / "r.pdf") is None
    broken = tmp_path / "broken.bin"
    for cut in (len(good) // 2, len(good) - 40):
        broken.write_bytes(good[:cut])
        assert pdf_problem(broken) is not None
    if shutil.which("qpdf"):
        # Damage pypdf reads past; qpdf --check does not.
        broken.write_bytes(good.replace(b"endobj", b"endobx", 5))
        assert pdf_problem(broken) is not None
